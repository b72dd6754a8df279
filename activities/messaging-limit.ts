import type { Knex } from 'knex';
import type { RulesConfig } from '../src/config-rules';
import { createAccountQualityRepository } from '../src/db/repositories/account-quality';
import { createMessagesRepository } from '../src/db/repositories/messages';
import { createMessagingLimitRepository } from '../src/db/repositories/messaging-limit';
import { ruleExplanation } from '../src/providers/d360/rule-codes';
import { allowance, effectiveLimit } from '../src/rules/messaging-limit';

export interface MessagingLimitDeps {
  db: Knex;
  rules?: Pick<RulesConfig, 'messagingLimitPerDay' | 'messagingLimitWindowMs'>;
}

/** null: no limit applies to this broadcast (not a template, or the account is unlimited). */
export type Allowance = { sendable: number; resumeAt?: string } | null;

export function createMessagingLimitActivities({ db, rules }: MessagingLimitDeps) {
  const limits = createMessagingLimitRepository(db);
  const messages = createMessagesRepository(db);
  const quality = createAccountQualityRepository(db);
  const windowMs = rules?.messagingLimitWindowMs ?? 24 * 3_600_000;

  return {
    /** How many more recipients of this broadcast fit in the rolling window now. */
    async messagingAllowance(parentId: number): Promise<Allowance> {
      const parent = await messages.find(parentId);
      if (parent?.type !== 'template') return null;
      const limit = effectiveLimit((await quality.get())?.current_limit, rules?.messagingLimitPerDay);
      if (limit === undefined) return null;
      const { used, oldest } = await limits.usage(windowMs);
      return allowance(limit, used, oldest, windowMs);
    },

    /** The rest of the broadcast waits for the window to move: `deferred` with its time and the reason. */
    async deferDeliveries(parentId: number, afterId: number, until: string): Promise<{ deferred: number; code: string; message: string }> {
      const message = `${ruleExplanation('messaging_limit')} (at ${until})`;
      const deferred = await limits.defer(parentId, afterId, until, 'messaging_limit', message);
      return { deferred, code: 'messaging_limit', message };
    },
  };
}
