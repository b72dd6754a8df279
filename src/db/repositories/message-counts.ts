import type { Knex } from 'knex';
import { MESSAGES_TABLE, type Message } from './messages';

export interface MessageStateCount {
  direction: string;
  kind: string;
  status: string;
  n: number;
}

/**
 * Messages per direction, kind and state, for the wa_messages gauge; bounded so a slow Postgres cannot hold a scrape.
 */
export async function countMessagesByState(db: Knex, timeoutMs: number): Promise<MessageStateCount[]> {
  const rows = await db<Message>(MESSAGES_TABLE)
    .select('direction', 'kind', 'status')
    .count({ n: '*' })
    .groupBy('direction', 'kind', 'status')
    .timeout(timeoutMs);
  return rows.map((row) => ({
    direction: String(row.direction),
    kind: String(row.kind),
    status: String(row.status),
    n: Number(row.n),
  }));
}
