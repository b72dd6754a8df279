import type { Knex } from 'knex';
import type { Message } from './messages';

/** Per-state counts of a broadcast's deliveries, plus those the 24-hour window rule changed (src/rules/). */
export type BroadcastCounts = Record<(typeof COUNTED_STATES)[number] | (typeof RULE_COUNTS)[number], number>;

export const COUNTED_STATES = [
  'scheduled',
  'sending',
  'sent',
  'delivered',
  'read',
  'failed',
  'cancelled',
  'deferred',
] as const;
/** fallback: sent the fallback template; skipped: failed before sending because the window was closed. */
const RULE_COUNTS = ['fallback', 'skipped'] as const;

const emptyCounts = (): BroadcastCounts =>
  Object.fromEntries([...COUNTED_STATES, ...RULE_COUNTS].map((state) => [state, 0])) as BroadcastCounts;

/** The SQL of broadcasts: parents and their child deliveries, all rows of `messages`. */
export function createBroadcastsRepository(db: Knex) {
  return {
    findParentForUpdate: (id: number, trx: Knex.Transaction) =>
      trx<Message>('messages').where({ id, kind: 'broadcast' }).forUpdate().first(),

    /**
     * Writes one child per audience member who has not opted out and has a phone number,
     * once: a second call adds nobody (the unique (parent_id, contact_id) index). A child holds
     * no copy of the content: the send reads the parent's.
     */
    async writeRecipients(
      parentId: number,
      trx: Knex,
      scope?: { sql: string; bindings: readonly unknown[] },
    ): Promise<number> {
      // scope: a segment broadcast's member ids (src/campaigns/segment-audience.ts).
      await trx.raw(
        `INSERT INTO messages (parent_id, kind, contact_id, phone_number, group_id, type, status)
         SELECT p.id, 'single', c.id, c.phone_number, c.group_id, p.type, 'scheduled'
         FROM messages p
         JOIN contacts c ON p.audience_group_ids IS NULL
           OR c.group_id IN (SELECT jsonb_array_elements_text(p.audience_group_ids)::bigint)
         WHERE p.id = ? AND NOT c.opted_out AND c.phone_number IS NOT NULL ${scope ? `AND c.id IN (${scope.sql})` : ''}
           AND NOT EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone_number = c.phone_number)
         ORDER BY c.id
         ON CONFLICT (parent_id, contact_id) WHERE parent_id IS NOT NULL DO NOTHING`,
        [parentId, ...((scope?.bindings ?? []) as Knex.RawBinding[])],
      );
      const [{ count }] = await trx('messages')
        .where({ parent_id: parentId })
        .count<{ count: string }[]>({ count: '*' });
      await trx('messages')
        .where({ id: parentId })
        .update({ recipient_count: Number(count), updated_at: trx.fn.now() });
      return Number(count);
    },

    /** The next children still to deliver, in id order after `afterId`. */
    nextChunk: async (parentId: number, afterId: number, limit: number): Promise<number[]> =>
      (
        await db('messages')
          .where({ parent_id: parentId })
          .where('id', '>', afterId)
          .whereIn('status', ['scheduled', 'sending', 'deferred'])
          .orderBy('id')
          .limit(limit)
          .select('id')
      ).map((row: { id: number }) => row.id),

    /** Deliveries that ran out of retries end failed with their last error; settled ones are left alone. */
    failUnsettled: (ids: number[], code: string, message: string) =>
      db('messages').whereIn('id', ids).whereIn('status', ['scheduled', 'sending', 'deferred']).update({
        status: 'failed',
        error_code: code,
        error_message: message,
        failed_at: db.fn.now(),
        updated_at: db.fn.now(),
      }),

    /** Children nobody has claimed yet become cancelled; sent (and in-flight) ones stay as they are. */
    cancelUnsent: (parentId: number, trx: Knex) =>
      trx('messages')
        .where({ parent_id: parentId })
        .whereIn('status', ['scheduled', 'deferred'])
        .update({ status: 'cancelled', updated_at: trx.fn.now() }),

    setStatus: (
      id: number,
      status: 'sending' | 'sent' | 'failed' | 'cancelled',
      trx: Knex = db,
      extra: Record<string, unknown> = {},
    ) =>
      trx<Message>('messages')
        .where({ id })
        .update({ status, updated_at: trx.fn.now(), ...extra })
        .returning('*')
        .then((rows) => rows[0] as Message | undefined),

    async recipientCounts(parentIds: number[]): Promise<Map<number, number | null>> {
      const rows = parentIds.length
        ? await db('messages').whereIn('id', parentIds).select('id', 'recipient_count')
        : [];
      return new Map(rows.map((row: { id: number; recipient_count: number | null }) => [row.id, row.recipient_count]));
    },

    async counts(parentIds: number[], trx: Knex = db): Promise<Map<number, BroadcastCounts>> {
      const result = new Map<number, BroadcastCounts>(parentIds.map((id) => [id, emptyCounts()]));
      if (parentIds.length === 0) return result;
      const rows = await trx('messages')
        .whereIn('parent_id', parentIds)
        .groupBy('parent_id', 'status')
        .select(
          'parent_id',
          'status',
          trx.raw('count(*) FILTER (WHERE fallback_used) AS fallback'),
          trx.raw(
            `count(*) FILTER (WHERE error_code IN ('outside_service_window', 'marketing_to_us_number')) AS skipped`,
          ),
        )
        .count<{ parent_id: number; status: string; count: string; fallback: string; skipped: string }[]>({
          count: '*',
        });
      for (const row of rows) {
        const counts = result.get(Number(row.parent_id));
        if (!counts) continue;
        if (row.status in counts) counts[row.status as keyof BroadcastCounts] = Number(row.count);
        counts.fallback += Number(row.fallback);
        counts.skipped += Number(row.skipped);
      }
      return result;
    },
  };
}

export type BroadcastsRepository = ReturnType<typeof createBroadcastsRepository>;
