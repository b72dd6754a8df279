import type { Knex } from 'knex';

/** The SQL of the daily unique-recipient limit (the partial index messages_business_initiated_sent_at serves it). */
export function createMessagingLimitRepository(db: Knex) {
  return {
    /** Unique recipients of templates sent within the window, and the oldest such send. */
    async usage(windowMs: number): Promise<{ used: number; oldest: Date | null }> {
      const { rows } = await db.raw(
        `SELECT count(DISTINCT phone_number) AS used, min(sent_at) AS oldest FROM messages
         WHERE type = 'template' AND sent_at IS NOT NULL AND sent_at > now() - make_interval(secs => ?) AND direction = 'outbound'`,
        [windowMs / 1000],
      );
      return { used: Number(rows[0].used), oldest: rows[0].oldest ? new Date(rows[0].oldest) : null };
    },

    /** A broadcast's deliveries after `afterId` not yet sent wait until `until`, with the reason on each. */
    defer: (parentId: number, afterId: number, until: string, code: string, message: string) =>
      db('messages')
        .where({ parent_id: parentId })
        .where('id', '>', afterId)
        .whereIn('status', ['scheduled', 'deferred'])
        .update({
          status: 'deferred',
          scheduled_at: until,
          error_code: code,
          error_message: message,
          updated_at: db.fn.now(),
        }),
  };
}
