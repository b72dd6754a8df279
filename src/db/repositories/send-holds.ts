import type { Knex } from 'knex';
import { MESSAGES_TABLE } from './messages';
import { TEMPLATES_TABLE } from './templates';

// One key for every worker: claims of business-initiated single messages count the daily limit one at a time.
const DAILY_LIMIT_LOCK = 0x7761_6c69;

export interface DailyUsage {
  /** Unique recipients reached by templates in the window, and those a claim is sending to now. */
  used: number;
  oldest: Date | null;
  /** Which of the asked-for phones are among them (another template to them adds no one). */
  reached: Set<string>;
}

/** The SQL the send-time holds of single messages need, in the claim's transaction. */
export function createSendHoldsRepository(db: Knex) {
  return {
    /** Status of each (name, language) template, keyed `name\u0000language`. */
    async templateStatuses(keys: { name: string; language: string }[], trx: Knex = db): Promise<Map<string, string>> {
      if (keys.length === 0) return new Map();
      const { rows } = await trx.raw(
        `SELECT t.name, t.language, t.status FROM ${TEMPLATES_TABLE} t
         JOIN unnest(?::text[], ?::text[]) AS k(name, language) ON k.name = t.name AND k.language = t.language`,
        [keys.map((k) => k.name), keys.map((k) => k.language)],
      );
      return new Map(
        rows.map((r: { name: string; language: string; status: string }) => [`${r.name}\u0000${r.language}`, r.status]),
      );
    },

    /** Serialises daily-limit decisions across workers until the caller's transaction ends. */
    lockDailyLimit: (trx: Knex.Transaction) => trx.raw('SELECT pg_advisory_xact_lock(?)', [DAILY_LIMIT_LOCK]),

    async dailyUsage(windowMs: number, phones: string[], trx: Knex = db): Promise<DailyUsage> {
      const { rows } = await trx.raw(
        `WITH reached AS (
           SELECT phone_number, sent_at FROM ${MESSAGES_TABLE}
           WHERE type = 'template' AND sent_at IS NOT NULL AND sent_at > now() - make_interval(secs => ?) AND direction = 'outbound'
           UNION ALL
           SELECT phone_number, NULL FROM ${MESSAGES_TABLE}
           WHERE type = 'template' AND status = 'sending' AND sending_since IS NOT NULL AND direction = 'outbound')
         SELECT count(DISTINCT phone_number) AS used, min(sent_at) AS oldest,
           COALESCE(array_agg(DISTINCT phone_number) FILTER (WHERE phone_number = ANY(?::text[])), '{}') AS reached
         FROM reached`,
        [windowMs / 1000, phones],
      );
      const row = rows[0];
      return {
        used: Number(row.used),
        oldest: row.oldest ? new Date(row.oldest) : null,
        reached: new Set(row.reached as string[]),
      };
    },
  };
}
