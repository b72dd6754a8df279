import type { Knex } from 'knex';
import { fetchPage, type PageRequest } from './pagination';
import {
  changeMessage,
  messagesTable,
  type Message,
  type MessageDirection,
  type MessageStatus,
  type NewMessage,
} from './message-rows';
import { createMessageSendStates } from './message-send-states';
import type { WorkflowStart } from '../../temporal/workflow-starts';
import { insertWithStart } from './outbox';

export {
  INBOUND_TYPES,
  MESSAGES_TABLE,
  type AutoReplyKind,
  type InboundMessageType,
  type MediaContent,
  type Message,
  type MessageDirection,
  type MessageKind,
  type MessageStatus,
  type MessageType,
  type NewMessage,
  type TemplateContent,
} from './message-rows';

export interface MessageFilter {
  status?: MessageStatus;
  contact_id?: number;
  /** Outbound unless asked otherwise, so the list keeps the meaning it always had. */
  direction?: MessageDirection;
  /** Children of this broadcast; without it the list holds top-level messages only. */
  parent_id?: number;
}

const jsonColumns = (row: Partial<Message>) => ({
  ...row,
  template: row.template ? JSON.stringify(row.template) : row.template,
  media: row.media ? JSON.stringify(row.media) : row.media,
  fallback_template: row.fallback_template ? JSON.stringify(row.fallback_template) : row.fallback_template,
  warnings: row.warnings ? JSON.stringify(row.warnings) : row.warnings,
  interactive: row.interactive ? JSON.stringify(row.interactive) : row.interactive,
  // pg would send a JS array as a Postgres array literal, which jsonb refuses.
  audience_group_ids: row.audience_group_ids ? JSON.stringify(row.audience_group_ids) : row.audience_group_ids,
  audience_filter: row.audience_filter ? JSON.stringify(row.audience_filter) : row.audience_filter,
});

export function createMessagesRepository(db: Knex) {
  const table = (trx: Knex = db) => messagesTable(trx);

  /** Broadcast deliveries hold no copy of their content: fill it in from their parents, one query per page. */
  async function withParentContent(rows: Message[], trx: Knex = db): Promise<Message[]> {
    const bare = (r: Message) =>
      r.parent_id !== null && r.text === null && r.template === null && r.media === null && !r.interactive;
    const parentIds = [...new Set(rows.filter(bare).map((r) => r.parent_id as number))];
    if (parentIds.length === 0) return rows;
    const parents = new Map(
      (await table(trx).whereIn('id', parentIds).select('id', 'text', 'template', 'media', 'interactive')).map((p) => [
        p.id,
        p,
      ]),
    );
    return rows.map((r) => {
      const parent = r.parent_id !== null ? parents.get(r.parent_id) : undefined;
      return parent && bare(r)
        ? { ...r, text: parent.text, template: parent.template, media: parent.media, interactive: parent.interactive }
        : r;
    });
  }
  const change = (id: number, fields: Record<string, unknown>, trx?: Knex) => changeMessage(db, id, fields, trx);

  return {
    ...createMessageSendStates(db),

    async list(filter: MessageFilter, page: PageRequest) {
      const query = table()
        .select('*')
        .where('direction', filter.direction ?? 'outbound');
      if (filter.status) query.where('status', filter.status);
      if (filter.contact_id) query.where('contact_id', filter.contact_id);
      if (filter.parent_id) query.where('parent_id', filter.parent_id);
      else query.whereNull('parent_id');
      const result = await fetchPage<Message>(query, page);
      return { ...result, rows: await withParentContent(result.rows) };
    },

    find: async (id: number, trx?: Knex) => {
      const row = await table(trx).where({ id }).first();
      return row && (await withParentContent([row], trx))[0];
    },

    findForUpdate: (id: number, trx: Knex.Transaction) => table(trx).where({ id }).forUpdate().first(),

    findByIdempotencyKey: (key: string) => table().where({ idempotency_key: key }).first(),

    async create(message: NewMessage, trx?: Knex): Promise<Message> {
      const [row] = await table(trx).insert(jsonColumns(message)).returning('*');
      return row as Message;
    },

    /** The row (its id chosen beforehand) and its workflow start, in one statement. */
    async createWithStart(message: NewMessage & { id: number }, start: WorkflowStart): Promise<Message> {
      const [row] = await insertWithStart<Message>(db, table().insert(jsonColumns(message)).returning('*'), start);
      return row;
    },

    remove: (id: number, trx?: Knex) => table(trx).where({ id }).delete(),

    /** Cancels only a message nobody has started sending: the row lock decides any race with the sender. */
    cancelIfScheduled: (id: number, trx?: Knex) =>
      table(trx)
        .where({ id })
        .whereIn('status', ['scheduled', 'deferred'])
        .update({ status: 'cancelled', updated_at: db.fn.now() })
        .returning('*')
        .then((rows) => rows[0] as Message | undefined),

    reschedule: (id: number, scheduledAt: Date, trx?: Knex) => change(id, { scheduled_at: scheduledAt }, trx),
  };
}

export type MessagesRepository = ReturnType<typeof createMessagesRepository>;
