import type { Knex } from 'knex';
import type { InboundEvent, StatusEvent } from '../../../workflows/inbound-definitions';
import { backlogOf } from './outbox';

export const INBOX_TABLE = 'webhook_inbox';
export const INBOX_CHANNEL = 'wa_webhook_inbox';
/** The `status` an inbound customer message is stored under (delivery statuses use their own). */
export const INBOUND_MESSAGE = 'message';

export type InboxEvent = { kind: 'message'; event: InboundEvent } | { kind: 'status'; event: StatusEvent };

export interface InboxRow {
  id: number;
  wamid: string;
  status: string;
  event: InboundEvent | StatusEvent;
}

/** Webhook events as they arrived, once per (wamid, status); see the migration and src/inbox/. */
export function createWebhookInboxRepository(db: Knex) {
  return {
    /** One statement for every event given: a repeat of a stored event is dropped by the unique key. */
    async insert(events: InboxEvent[], trx: Knex = db): Promise<void> {
      if (events.length === 0) return;
      const rows = events.map(({ kind, event }) => ({
        wamid: event.wamid,
        status: kind === 'message' ? INBOUND_MESSAGE : (event as StatusEvent).status,
        event,
      }));
      await trx.raw(
        `INSERT INTO ${INBOX_TABLE} (wamid, status, event)
         SELECT wamid, status, event FROM jsonb_to_recordset(?::jsonb) AS x(wamid text, status text, event jsonb)
         ON CONFLICT (wamid, status) DO NOTHING`,
        [JSON.stringify(rows)],
      );
    },

    /** The oldest unprocessed events, locked for this transaction; other processors skip them. */
    async claim(limit: number, trx: Knex.Transaction): Promise<InboxRow[]> {
      const { rows } = await trx.raw(
        `SELECT id, wamid, status, event FROM ${INBOX_TABLE} WHERE processed_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      return rows;
    },

    markProcessed: (ids: number[], trx: Knex.Transaction) =>
      trx(INBOX_TABLE).whereIn('id', ids).update({ processed_at: trx.fn.now() }),

    /** Forgets processed events older than `keepMs` (a 360Dialog retry after that is applied again, harmlessly). */
    async prune(keepMs: number, limit = 10_000): Promise<number> {
      const { rowCount } = await db.raw(
        `DELETE FROM ${INBOX_TABLE} WHERE id IN (
           SELECT id FROM ${INBOX_TABLE} WHERE processed_at < now() - make_interval(secs => ?) LIMIT ?)`,
        [keepMs / 1000, limit],
      );
      return rowCount ?? 0;
    },

    backlog: (trx: Knex = db) => backlogOf(trx, INBOX_TABLE, 'received_at', 'processed_at IS NULL'),
  };
}

export type WebhookInboxRepository = ReturnType<typeof createWebhookInboxRepository>;
