import type { Knex } from 'knex';
import { fetchPage, type PageRequest } from './pagination';

export const MESSAGES_TABLE = 'messages';

export type MessageStatus = 'scheduled' | 'sending' | 'sent' | 'cancelled' | 'failed';
export type MessageType = 'text' | 'template' | 'media';

export interface TemplateContent {
  name: string;
  language: string;
  components?: unknown[];
}

export interface MediaContent {
  type: 'image' | 'document' | 'video' | 'audio';
  link: string;
  caption?: string;
  filename?: string;
}

export interface Message {
  id: number;
  contact_id: number | null;
  phone_number: string;
  type: MessageType;
  text: string | null;
  template: TemplateContent | null;
  media: MediaContent | null;
  scheduled_at: Date | null;
  status: MessageStatus;
  provider_message_id: string | null;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  sent_at: Date | null;
  idempotency_key: string | null;
  request_fingerprint: string | null;
  created_at: Date;
  updated_at: Date;
}

export type NewMessage = Pick<Message, 'contact_id' | 'phone_number' | 'type' | 'status'> &
  Partial<Pick<Message, 'text' | 'template' | 'media' | 'scheduled_at' | 'idempotency_key' | 'request_fingerprint'>>;

export interface MessageFilter {
  status?: MessageStatus;
  contact_id?: number;
}

const jsonColumns = (row: Partial<Message>) => ({
  ...row,
  template: row.template ? JSON.stringify(row.template) : row.template,
  media: row.media ? JSON.stringify(row.media) : row.media,
});

export function createMessagesRepository(db: Knex) {
  const table = (trx: Knex = db) => trx<Message>(MESSAGES_TABLE);
  const change = (id: number, fields: Record<string, unknown>, trx?: Knex) =>
    table(trx)
      .where({ id })
      .update({ ...fields, updated_at: db.fn.now() } as never)
      .returning('*')
      .then((rows) => rows[0] as Message | undefined);

  return {
    async list(filter: MessageFilter, page: PageRequest) {
      const query = table().select('*');
      if (filter.status) query.where('status', filter.status);
      if (filter.contact_id) query.where('contact_id', filter.contact_id);
      return fetchPage<Message>(query, page);
    },

    find: (id: number, trx?: Knex) => table(trx).where({ id }).first(),

    findForUpdate: (id: number, trx: Knex.Transaction) => table(trx).where({ id }).forUpdate().first(),

    findByIdempotencyKey: (key: string) => table().where({ idempotency_key: key }).first(),

    async create(message: NewMessage, trx?: Knex): Promise<Message> {
      const [row] = await table(trx).insert(jsonColumns(message) as never).returning('*');
      return row as Message;
    },

    remove: (id: number, trx?: Knex) => table(trx).where({ id }).delete(),

    /** Cancels only a message nobody has started sending: the row lock decides any race with the sender. */
    cancelIfScheduled: (id: number, trx?: Knex) =>
      table(trx)
        .where({ id, status: 'scheduled' })
        .update({ status: 'cancelled', updated_at: db.fn.now() } as never)
        .returning('*')
        .then((rows) => rows[0] as Message | undefined),

    reschedule: (id: number, scheduledAt: Date, trx?: Knex) => change(id, { scheduled_at: scheduledAt }, trx),

    markSending: (id: number, trx?: Knex) =>
      change(id, { status: 'sending', attempts: db.raw('attempts + 1') }, trx),

    markSent: (id: number, providerMessageId: string, trx?: Knex) =>
      change(id, { status: 'sent', provider_message_id: providerMessageId, sent_at: db.fn.now(), error_code: null, error_message: null }, trx),

    markFailed: (id: number, code: string, message: string, trx?: Knex) =>
      change(id, { status: 'failed', error_code: code, error_message: message }, trx),

    recordError: (id: number, code: string, message: string, trx?: Knex) =>
      change(id, { error_code: code, error_message: message }, trx),
  };
}

export type MessagesRepository = ReturnType<typeof createMessagesRepository>;
