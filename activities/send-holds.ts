import type { Knex } from 'knex';
import type { RulesConfig } from '../src/config-rules';
import { createAccountQualityRepository } from '../src/db/repositories/account-quality';
import type { Message } from '../src/db/repositories/messages';
import { createSendHoldsRepository } from '../src/db/repositories/send-holds';
import { ruleExplanation } from '../src/providers/d360/rule-codes';
import { effectiveLimit } from '../src/rules/messaging-limit';
import type { HoldCode } from './messaging-limit';

export type HoldRules = Pick<RulesConfig, 'messagingLimitPerDay' | 'messagingLimitWindowMs' | 'pauseRecheckMs'>;

export interface SendHold {
  code: Extract<HoldCode, 'template_paused' | 'messaging_limit'>;
  until: Date;
  message: string;
}

const HELD_TEMPLATE_STATUSES = new Set(['PAUSED', 'DISABLED', 'REJECTED']);
// A hold never wakes its message sooner than this: the claim that follows would only hold it again.
const MIN_HOLD_MS = 5_000;

// Far below the limit, a count this fresh plus what this worker let through since is close enough: other workers add
// at most their send rate meanwhile, far less than the half left. Nearer, every decision counts afresh under the lock.
const FRESH_COUNT_MS = 1_000;

const templateKey = (m: Pick<Message, 'template'>) => `${m.template?.name}\u0000${m.template?.language}`;

/**
 * What holds back a single template message at its send instant, under the claim's row locks:
 * its template WhatsApp paused, disabled or rejected (looked at again every PAUSE_RECHECK_INTERVAL),
 * or the number's daily unique-recipient limit (until the rolling window frees a place). Broadcast
 * deliveries are left alone: their workflow asks before each page (messagingAllowance).
 */
export function createSendHolds(db: Knex, rules: HoldRules | undefined) {
  const repo = createSendHoldsRepository(db);
  const quality = createAccountQualityRepository(db);
  const windowMs = rules?.messagingLimitWindowMs ?? 24 * 3_600_000;
  const hold = (code: SendHold['code'], at: number): SendHold => {
    const until = new Date(Math.max(at, Date.now() + MIN_HOLD_MS));
    return { code, until, message: `${ruleExplanation(code)} (next look at ${until.toISOString()})` };
  };

  let recent: { at: number; used: number } | undefined;

  async function dailyLimitHolds(
    candidates: Message[],
    held: Map<number, SendHold>,
    trx: Knex.Transaction,
  ): Promise<void> {
    const limit = effectiveLimit((await quality.get())?.current_limit, rules?.messagingLimitPerDay);
    if (limit === undefined || candidates.length === 0) return;
    if (recent && Date.now() - recent.at < FRESH_COUNT_MS && recent.used + candidates.length <= limit / 2) {
      recent.used += candidates.length;
      return;
    }
    await repo.lockDailyLimit(trx);
    const phones = candidates.map((m) => m.phone_number ?? '');
    const usage = await repo.dailyUsage(windowMs, phones, trx);
    const resumeAt = (usage.oldest?.getTime() ?? Date.now()) + windowMs;
    let used = usage.used;
    for (const message of candidates) {
      const phone = message.phone_number ?? '';
      if (usage.reached.has(phone)) continue;
      if (used < limit) {
        used += 1;
        usage.reached.add(phone);
      } else held.set(message.id, hold('messaging_limit', resumeAt));
    }
    recent = { at: Date.now(), used };
  }

  return {
    /** The messages among `claimable` to hold, each with its reason and when it is looked at again. */
    async holdsFor(claimable: Message[], trx: Knex.Transaction): Promise<Map<number, SendHold>> {
      const held = new Map<number, SendHold>();
      const singles = claimable.filter((m) => m.parent_id === null && m.type === 'template' && m.template);
      if (singles.length === 0) return held;
      const statuses = await repo.templateStatuses(
        singles.map((m) => m.template as { name: string; language: string }),
        trx,
      );
      const recheckAt = Date.now() + (rules?.pauseRecheckMs ?? 5 * 60_000);
      for (const m of singles)
        if (HELD_TEMPLATE_STATUSES.has(statuses.get(templateKey(m)) ?? ''))
          held.set(m.id, hold('template_paused', recheckAt));
      await dailyLimitHolds(
        singles.filter((m) => !held.has(m.id)),
        held,
        trx,
      );
      return held;
    },
  };
}
