import type { Knex } from 'knex';
import type { RulesConfig } from '../src/config-rules';
import { createAccountQualityRepository } from '../src/db/repositories/account-quality';
import { createMessagesRepository } from '../src/db/repositories/messages';
import { createMessagingLimitRepository } from '../src/db/repositories/messaging-limit';
import { createTemplatesRepository } from '../src/db/repositories/templates';
import { ruleExplanation, type RuleCode } from '../src/providers/d360/rule-codes';
import { allowance, effectiveLimit } from '../src/rules/messaging-limit';

export interface MessagingLimitDeps {
  db: Knex;
  rules?: Pick<RulesConfig, 'messagingLimitPerDay' | 'messagingLimitWindowMs' | 'pauseOnRedQuality' | 'pauseRecheckMs'>;
}

export type HoldCode = Extract<RuleCode, 'messaging_limit' | 'template_paused' | 'paused_red_quality'>;

/**
 * null: nothing ever holds this broadcast back (not a template). Otherwise how many recipients
 * may go now (null: all), and when the rest may, and why.
 */
export type Allowance = { sendable: number | null; resumeAt?: string; code?: HoldCode } | null;

const HELD_TEMPLATE_STATUSES = new Set(['PAUSED', 'DISABLED', 'REJECTED']);

export function createMessagingLimitActivities({ db, rules }: MessagingLimitDeps) {
  const limits = createMessagingLimitRepository(db);
  const messages = createMessagesRepository(db);
  const quality = createAccountQualityRepository(db);
  const templates = createTemplatesRepository(db);
  const windowMs = rules?.messagingLimitWindowMs ?? 24 * 3_600_000;
  const recheckAt = () => new Date(Date.now() + (rules?.pauseRecheckMs ?? 5 * 60_000)).toISOString();

  return {
    /** Before each page of a template broadcast: its template paused, the number RED, or the daily limit reached. */
    async messagingAllowance(parentId: number): Promise<Allowance> {
      const parent = await messages.find(parentId);
      if (parent?.type !== 'template' || !parent.template) return null;
      const template = await templates.findByNameAndLanguage(parent.template.name, parent.template.language);
      if (template && HELD_TEMPLATE_STATUSES.has(template.status))
        return { sendable: 0, resumeAt: recheckAt(), code: 'template_paused' };
      const account = await quality.get();
      if (
        (rules?.pauseOnRedQuality ?? true) &&
        parent.template_category === 'MARKETING' &&
        account?.quality === 'RED'
      ) {
        return { sendable: 0, resumeAt: recheckAt(), code: 'paused_red_quality' };
      }
      const limit = effectiveLimit(account?.current_limit, rules?.messagingLimitPerDay);
      if (limit === undefined) return { sendable: null };
      const { used, oldest } = await limits.usage(windowMs);
      return { ...allowance(limit, used, oldest, windowMs), code: 'messaging_limit' };
    },

    /** The rest of the broadcast waits: `deferred` with its time and the reason on each row. */
    async deferDeliveries(
      parentId: number,
      afterId: number,
      until: string,
      code: HoldCode = 'messaging_limit',
    ): Promise<{ deferred: number; code: string; message: string }> {
      const message = `${ruleExplanation(code)} (next look at ${until})`;
      const deferred = await limits.defer(parentId, afterId, until, code, message);
      return { deferred, code, message };
    },
  };
}
