import type { Knex } from 'knex';
import type { Message } from './messages';
import type { Page, PageRequest } from './pagination';

export interface RecipientRow extends Message {
  contact_name: string | null;
  /** The contact wrote to us within 24 hours after this delivery was sent. */
  replied: boolean;
}

export interface RecipientFilter {
  status?: string;
  error_code?: string;
}

const REPLIED = `EXISTS (SELECT 1 FROM messages r WHERE r.contact_id = messages.contact_id AND r.direction = 'inbound'
  AND messages.sent_at IS NOT NULL AND r.created_at >= messages.sent_at AND r.created_at < messages.sent_at + interval '24 hours')`;

/** Read-only SQL over a broadcast's deliveries (its child rows in `messages`). */
export function createBroadcastReportsRepository(db: Knex) {
  function recipients(parentId: number, filter: RecipientFilter): Knex.QueryBuilder {
    const query = db('messages')
      .where('messages.parent_id', parentId)
      .select(
        'messages.*',
        db.raw('(SELECT c.name FROM contacts c WHERE c.id = messages.contact_id) AS contact_name'),
        db.raw(`${REPLIED} AS replied`),
      );
    if (filter.status) query.where('messages.status', filter.status);
    if (filter.error_code) query.where('messages.error_code', filter.error_code);
    return query;
  }

  return {
    recipients,

    /** In delivery order (id), unlike other lists: a report reads top to bottom like the send did. */
    async recipientsPage(
      parentId: number,
      filter: RecipientFilter,
      { page, pageSize }: PageRequest,
    ): Promise<Page<RecipientRow>> {
      const query = recipients(parentId, filter);
      const [{ count }] = await query.clone().clearSelect().count<{ count: string }[]>({ count: '*' });
      const rows = await query
        .orderBy('messages.id')
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      return { count: Number(count), rows };
    },

    async failures(parentId: number): Promise<{ code: string; message: string | null; count: number }[]> {
      const rows = await db('messages')
        .where({ parent_id: parentId, status: 'failed' })
        .groupBy('error_code')
        .select(db.raw(`coalesce(error_code, 'unknown') AS code`), db.raw('max(error_message) AS message'))
        .count<{ code: string; message: string | null; count: string }[]>({ count: '*' })
        .orderBy('count', 'desc');
      return rows.map((r) => ({ code: r.code, message: r.message, count: Number(r.count) }));
    },

    async replies(parentId: number): Promise<number> {
      const { rows } = await db.raw(`SELECT count(*)::int AS n FROM messages WHERE parent_id = ? AND ${REPLIED}`, [
        parentId,
      ]);
      return rows[0].n;
    },

    /** Seconds from sent to delivered / read: p50, p90, p99 and how many deliveries the figure rests on. */
    async latency(parentId: number, column: 'delivered_at' | 'read_at') {
      const { rows } = await db.raw(
        `SELECT count(*)::int AS n,
           percentile_cont(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY extract(epoch FROM ${column} - sent_at)) AS p
         FROM messages WHERE parent_id = ? AND sent_at IS NOT NULL AND ${column} IS NOT NULL`,
        [parentId],
      );
      const [p50, p90, p99] = (rows[0].p as number[] | null) ?? [null, null, null];
      return { count: rows[0].n as number, p50_seconds: p50, p90_seconds: p90, p99_seconds: p99 };
    },

    async sendsPerMinute(parentId: number): Promise<{ minute: Date; sent: number }[]> {
      const { rows } = await db.raw(
        `SELECT date_trunc('minute', sent_at) AS minute, count(*)::int AS sent FROM messages
         WHERE parent_id = ? AND sent_at IS NOT NULL GROUP BY 1 ORDER BY 1 LIMIT 10000`,
        [parentId],
      );
      return rows;
    },

    /** Failed deliveries whose code is in `codes`, to contacts who still can and may be messaged now. */
    retryable: (parentId: number, codes: string[], trx: Knex) =>
      trx('messages as m')
        .join('contacts as c', 'c.id', 'm.contact_id')
        .where({ 'm.parent_id': parentId, 'm.status': 'failed', 'c.opted_out': false })
        .whereIn('m.error_code', codes)
        .whereNotNull('c.phone_number')
        // The suppression list (opt_outs) holds numbers that opted out, whatever contact they belong to now.
        .whereNotExists((q) => q.select(trx.raw('1')).from('opt_outs as o').whereRaw('o.phone_number = c.phone_number'))
        .orderBy('m.id')
        .select('c.id as contact_id', 'c.phone_number', 'c.group_id') as Promise<
        { contact_id: number; phone_number: string; group_id: number | null }[]
      >,

    findRetryOf: (parentId: number, trx: Knex = db) =>
      trx<Message>('messages').where({ retry_of_id: parentId }).first(),
  };
}

export type BroadcastReportsRepository = ReturnType<typeof createBroadcastReportsRepository>;
