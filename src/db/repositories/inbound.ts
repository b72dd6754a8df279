import type { Knex } from 'knex';
import { MESSAGES_TABLE, type InboundMessageType, type MediaContent, type Message, type NewMessage } from './messages';
import type { TableWithJson } from '../row-types';

export interface NewInboundMessage {
  contact_id: number | null;
  phone_number: string | null;
  type: InboundMessageType;
  text: string | null;
  /** A tap: the chosen button or list row id, or a template quick reply's payload. */
  reply_id?: string | null;
  /** Image, document, audio, video or sticker: WhatsApp's media id, MIME type and caption. */
  media?: MediaContent | null;
  provider_message_id: string;
  from_wa_id: string | null;
  from_user_id: string | null;
  from_name: string | null;
  wa_timestamp: Date;
  payload: Record<string, unknown>;
}

/** The inbound side of `messages`: customer messages, the replies tied to them, delivery updates. */
export function createInboundRepository(db: Knex) {
  const table = (trx: Knex = db) =>
    trx<TableWithJson<Message, 'payload' | 'template' | 'interactive' | 'media'>>(MESSAGES_TABLE);

  return {
    /** Stores the message once: the wamid is unique, so a redelivered webhook finds the first row. */
    async insertInbound(row: NewInboundMessage, trx?: Knex): Promise<Message> {
      const [inserted] = await table(trx)
        .insert({
          ...row,
          direction: 'inbound',
          status: 'received',
          payload: JSON.stringify(row.payload),
          media: row.media ? JSON.stringify(row.media) : null,
        })
        .onConflict('provider_message_id')
        .ignore()
        .returning('*');
      return (
        (inserted as Message | undefined) ??
        ((await table(trx).where({ provider_message_id: row.provider_message_id }).first()) as Message)
      );
    },

    find: (id: number, trx?: Knex) => table(trx).where({ id }).first(),

    findReplyTo: (inboundId: number, trx?: Knex) => table(trx).where({ reply_to_id: inboundId }).first(),

    /** At most one reply per inbound message, whatever the retries: reply_to_id is unique. */
    async insertReply(row: NewMessage & { reply_to_id: number }, trx?: Knex): Promise<Message> {
      const [inserted] = await table(trx)
        .insert({
          ...row,
          template: row.template ? JSON.stringify(row.template) : null,
          interactive: row.interactive ? JSON.stringify(row.interactive) : null,
          media: row.media ? JSON.stringify(row.media) : null,
        })
        .onConflict('reply_to_id')
        .ignore()
        .returning('*');
      return (
        (inserted as Message | undefined) ??
        ((await table(trx).where({ reply_to_id: row.reply_to_id }).first()) as Message)
      );
    },

    /** The outbound message a status is about: by wamid, else by our id echoed in biz_opaque_callback_data. */
    async lockForStatus(
      wamid: string,
      callbackData: string | undefined,
      trx: Knex.Transaction,
    ): Promise<Message | undefined> {
      const byWamid = await table(trx).where({ provider_message_id: wamid, direction: 'outbound' }).forUpdate().first();
      if (byWamid || !callbackData || !/^[1-9]\d{0,15}$/.test(callbackData)) return byWamid;
      const byId = await table(trx)
        .where({ id: Number(callbackData), direction: 'outbound' })
        .forUpdate()
        .first();
      // Our id only counts while the row has no wamid yet, or the same one.
      return byId && (byId.provider_message_id === null || byId.provider_message_id === wamid) ? byId : undefined;
    },

    /**
     * Every outbound message a batch of status events may be about (by wamid, or by our id from
     * biz_opaque_callback_data), locked in id order so concurrent batches never deadlock.
     */
    async lockForStatuses(wamids: string[], ids: number[], trx: Knex.Transaction): Promise<Message[]> {
      const { rows } = await trx.raw(
        `SELECT * FROM ${MESSAGES_TABLE}
         WHERE direction = 'outbound' AND (provider_message_id = ANY(?::text[]) OR id = ANY(?::bigint[]))
         ORDER BY id FOR UPDATE`,
        [wamids, ids],
      );
      return rows;
    },

    /** Writes the delivery columns of many messages in one statement (values computed under their locks). */
    async writeDeliveries(
      rows: Pick<
        Message,
        | 'id'
        | 'status'
        | 'provider_message_id'
        | 'error_code'
        | 'error_message'
        | 'sent_at'
        | 'delivered_at'
        | 'read_at'
        | 'failed_at'
      >[],
      trx: Knex.Transaction,
    ): Promise<void> {
      if (rows.length === 0) return;
      await trx.raw(
        `UPDATE ${MESSAGES_TABLE} m SET status = v.status, provider_message_id = v.provider_message_id,
           error_code = v.error_code, error_message = v.error_message, sent_at = v.sent_at,
           delivered_at = v.delivered_at, read_at = v.read_at, failed_at = v.failed_at, updated_at = now()
         FROM jsonb_to_recordset(?::jsonb) AS v(id bigint, status text, provider_message_id text, error_code text,
           error_message text, sent_at timestamptz, delivered_at timestamptz, read_at timestamptz, failed_at timestamptz)
         WHERE m.id = v.id`,
        [JSON.stringify(rows)],
      );
    },

    update: (id: number, fields: Record<string, unknown>, trx?: Knex) =>
      table(trx)
        .where({ id })
        .update({ ...fields, updated_at: db.fn.now() }),
  };
}

export type InboundRepository = ReturnType<typeof createInboundRepository>;
