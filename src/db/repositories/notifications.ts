import type { Knex } from 'knex';

/** NOTIFY `channel` in a transaction of its own (LISTENers in every API process wake up). */
export async function notifyChannel(db: Knex, channel: string): Promise<void> {
  await db.raw('SELECT pg_notify(?, ?)', [channel, '']);
}
