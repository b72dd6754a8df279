import type { Knex } from 'knex';
import type { InteractiveContent } from '../../providers/d360/interactive-schema';
import type { TemplateContent } from './messages';
import { fetchPage, type PageRequest } from './pagination';
import type { TableWithJson } from '../row-types';

export const AUTO_REPLY_RULES_TABLE = 'auto_reply_rules';
export const COOLDOWNS_TABLE = 'auto_reply_cooldowns';

/** `button`: the pattern is the id (or template payload) of the button or list row the customer tapped. */
export type MatchKind = 'exact' | 'contains' | 'starts_with' | 'regex' | 'any' | 'button';
export const MATCH_KINDS = ['exact', 'contains', 'starts_with', 'regex', 'any', 'button'] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Exactly one of these, like a message sent through /whatsapp/. */
export type ReplyContent =
  | { message: string; template?: undefined; interactive?: undefined }
  | { template: TemplateContent; message?: undefined; interactive?: undefined }
  | { interactive: InteractiveContent; message?: undefined; template?: undefined };

export interface BusinessHours {
  time_zone: string;
  days: Weekday[];
  /** HH:MM, local to time_zone; `end` before `start` means the window runs past midnight. */
  start: string;
  end: string;
}

export interface AutoReplyRule {
  id: number;
  name: string;
  match: MatchKind;
  pattern: string | null;
  case_sensitive: boolean;
  reply: ReplyContent;
  priority: number;
  active: boolean;
  business_hours: BusinessHours | null;
  outside_hours_reply: ReplyContent | null;
  created_at: Date;
  updated_at: Date;
}

export type AutoReplyRuleInput = Omit<AutoReplyRule, 'id' | 'created_at' | 'updated_at'>;

const toRow = (input: AutoReplyRuleInput) => ({
  ...input,
  reply: JSON.stringify(input.reply),
  business_hours: input.business_hours ? JSON.stringify(input.business_hours) : null,
  outside_hours_reply: input.outside_hours_reply ? JSON.stringify(input.outside_hours_reply) : null,
});

export function createAutoRepliesRepository(db: Knex) {
  const table = (trx: Knex = db) =>
    trx<TableWithJson<AutoReplyRule, 'reply' | 'business_hours' | 'outside_hours_reply'>>(AUTO_REPLY_RULES_TABLE);

  return {
    list: (page: PageRequest) => fetchPage<AutoReplyRule>(table().select('*').orderBy('priority', 'desc'), page),

    find: (id: number, trx?: Knex) => table(trx).where({ id }).first(),

    /** The order in which rules are tried: highest priority first, the older rule on a tie. */
    active: (trx?: Knex) =>
      table(trx)
        .where({ active: true })
        .orderBy([
          { column: 'priority', order: 'desc' },
          { column: 'id', order: 'asc' },
        ]),

    async create(input: AutoReplyRuleInput, trx?: Knex): Promise<AutoReplyRule> {
      const [row] = await table(trx).insert(toRow(input)).returning('*');
      return row as AutoReplyRule;
    },

    async replace(id: number, input: AutoReplyRuleInput, trx?: Knex): Promise<AutoReplyRule | undefined> {
      const [row] = await table(trx)
        .where({ id })
        .update({ ...toRow(input), updated_at: db.fn.now() })
        .returning('*');
      return row as AutoReplyRule | undefined;
    },

    /**
     * Runs `write` unless it would make more than `max` rules active. One advisory lock
     * serialises these checks, so concurrent creates cannot pass the cap together.
     */
    async withinActiveCap<T>(
      active: boolean,
      max: number,
      exceptId: number | undefined,
      write: (trx: Knex.Transaction) => Promise<T>,
    ): Promise<T | 'over_cap'> {
      return db.transaction(async (trx) => {
        await trx.raw(`SELECT pg_advisory_xact_lock(hashtext('${AUTO_REPLY_RULES_TABLE}.active_cap'))`);
        if (active) {
          const others = table(trx).where({ active: true });
          if (exceptId !== undefined) others.whereNot({ id: exceptId });
          const [{ count }] = await others.count<{ count: string }[]>({ count: '*' });
          if (Number(count) >= max) return 'over_cap';
        }
        return write(trx);
      });
    },

    remove: async (id: number, trx?: Knex) => (await table(trx).where({ id }).delete()) > 0,

    /**
     * Takes this rule's turn for this contact if its cooldown has passed: one statement,
     * so two messages arriving together cannot both win.
     */
    async claimCooldown(contactId: number, ruleId: number, cooldownMs: number, trx?: Knex): Promise<boolean> {
      const { rows } = await (trx ?? db).raw(
        `INSERT INTO ${COOLDOWNS_TABLE} (contact_id, rule_id, last_reply_at) VALUES (?, ?, now())
         ON CONFLICT (contact_id, rule_id) DO UPDATE SET last_reply_at = now()
         WHERE ${COOLDOWNS_TABLE}.last_reply_at <= now() - (? * interval '1 millisecond')
         RETURNING contact_id`,
        [contactId, ruleId, cooldownMs],
      );
      return rows.length > 0;
    },
  };
}

export type AutoRepliesRepository = ReturnType<typeof createAutoRepliesRepository>;
