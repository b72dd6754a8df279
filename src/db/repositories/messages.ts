import type { Knex } from 'knex';
import type { InteractiveContent } from '../../api/messages/interactive-schema';
import { fetchPage, type PageRequest } from './pagination';
import type { TableWithJson } from '../row-types';
import type { SegmentFilter } from '../../campaigns/segment-filter';
import type { WorkflowStart } from '../../temporal/workflow-starts';
import { insertWithStart } from './outbox';

export const MESSAGES_TABLE = 'messages';

export type MessageStatus = 'scheduled' | 'sending' | 'sent' | 'delivered' | 'read' | 'cancelled' | 'failed' | 'received' | 'deferred';
export type MessageType = 'text' | 'template' | 'media' | 'interactive';
export type MessageDirection = 'outbound' | 'inbound';
export type MessageKind = 'single' | 'broadcast';
/** What WhatsApp calls the message types it delivers by webhook; anything else is stored as `unknown`. */
export const INBOUND_TYPES = [
  'text', 'image', 'document', 'audio', 'video', 'sticker', 'location', 'contacts', 'interactive',
  'button', 'reaction', 'order', 'system', 'unsupported', 'unknown',
] as const;
export type InboundMessageType = (typeof INBOUND_TYPES)[number];
export type AutoReplyKind = 'rule' | 'outside_hours' | 'opt_out' | 'opt_in';

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
  /** Outbound: the recipient. Inbound: the sender, null when WhatsApp gave only a user id. */
  phone_number: string | null;
  direction: MessageDirection;
  type: MessageType | InboundMessageType;
  text: string | null;
  template: TemplateContent | null;
  media: MediaContent | null;
  /** Outbound reply buttons, list or CTA URL button. */
  interactive: InteractiveContent | null;
  /** Inbound taps: the id of the chosen button or list row, or a template quick reply's payload. */
  reply_id: string | null;
  scheduled_at: Date | null;
  status: MessageStatus;
  provider_message_id: string | null;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  sent_at: Date | null;
  /** Set while a send attempt may be calling WhatsApp; null once it recorded the answer. */
  sending_since: Date | null;
  idempotency_key: string | null;
  request_fingerprint: string | null;
  from_wa_id: string | null;
  from_user_id: string | null;
  from_name: string | null;
  /** When WhatsApp says the customer sent it (inbound). */
  wa_timestamp: Date | null;
  /** The inbound message as WhatsApp delivered it. */
  payload: Record<string, unknown> | null;
  delivered_at: Date | null;
  read_at: Date | null;
  failed_at: Date | null;
  /** The inbound message an auto-reply or opt-out confirmation answers. */
  reply_to_id: number | null;
  auto_reply_rule_id: number | null;
  auto_reply_kind: AutoReplyKind | null;
  /** `broadcast`: a parent whose deliveries are its children (rows with parent_id). */
  kind: MessageKind;
  parent_id: number | null;
  /** Parent: the group it was sent to (if one). Child: the recipient's group at fan-out. */
  group_id: number | null;
  /** Parent: the audience's group ids; null means every contact who has not opted out. */
  audience_group_ids: number[] | null;
  /** Parent: how many children were written at fan-out; null before. */
  recipient_count: number | null;
  /** Sent instead of free text or media when the 24-hour window is closed at send time. */
  fallback_template: TemplateContent | null;
  fallback_used: boolean;
  /** What the API warned about when it accepted the message. */
  warnings: { code: string; message: string }[] | null;
  /** The template's category when the message was accepted (MARKETING has rules of its own). */
  template_category: string | null;
  /** Parent: the segment it targets, and a copy of its filter (see src/campaigns/segment-audience.ts). */
  segment_id?: number | null;
  audience_filter?: SegmentFilter | null;
  /** Parent: the broadcast this one re-sends to its retryable failures. */
  retry_of_id?: number | null;
  created_at: Date;
  updated_at: Date;
}

export type NewMessage = Pick<Message, 'contact_id' | 'phone_number' | 'type' | 'status'> &
  Partial<Pick<Message, 'text' | 'template' | 'media' | 'interactive' | 'scheduled_at' | 'idempotency_key' | 'request_fingerprint' | 'reply_to_id' | 'auto_reply_rule_id' | 'auto_reply_kind' | 'kind' | 'group_id' | 'audience_group_ids' | 'fallback_template' | 'warnings' | 'template_category' | 'segment_id' | 'audience_filter' | 'retry_of_id'>>;

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
  const table = (trx: Knex = db) => trx<TableWithJson<Message, 'template' | 'media' | 'audience_group_ids' | 'fallback_template' | 'warnings' | 'interactive' | 'audience_filter'>>(MESSAGES_TABLE);

  /** Broadcast deliveries hold no copy of their content: fill it in from their parents, one query per page. */
  async function withParentContent(rows: Message[], trx: Knex = db): Promise<Message[]> {
    const bare = (r: Message) => r.parent_id !== null && r.text === null && r.template === null && r.media === null && !r.interactive;
    const parentIds = [...new Set(rows.filter(bare).map((r) => r.parent_id as number))];
    if (parentIds.length === 0) return rows;
    const parents = new Map((await table(trx).whereIn('id', parentIds).select('id', 'text', 'template', 'media', 'interactive')).map((p) => [p.id, p]));
    return rows.map((r) => {
      const parent = r.parent_id !== null ? parents.get(r.parent_id) : undefined;
      return parent && bare(r) ? { ...r, text: parent.text, template: parent.template, media: parent.media, interactive: parent.interactive } : r;
    });
  }
  const change = (id: number, fields: Record<string, unknown>, trx?: Knex) =>
    table(trx)
      .where({ id })
      .update({ ...fields, updated_at: db.fn.now() })
      .returning('*')
      .then((rows) => rows[0] as Message | undefined);

  return {
    async list(filter: MessageFilter, page: PageRequest) {
      const query = table().select('*').where('direction', filter.direction ?? 'outbound');
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

    /**
     * Locks these messages in id order, each with whether its recipient has opted out: the number
     * is on the suppression list (which outlives contacts), or the contact is marked opted out.
     */
    async lockForSend(ids: number[], trx: Knex.Transaction): Promise<(Message & { recipient_opted_out: boolean; recipient_last_inbound_at: Date | null })[]> {
      const { rows } = await trx.raw(
        // A broadcast delivery's content is its parent's; the later columns of the same name win in node-pg's row.
        `SELECT m.*, (COALESCE(by_id.opted_out, false) OR EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone_number = m.phone_number)) AS recipient_opted_out,
           COALESCE(m.text, p.text) AS text, COALESCE(m.template, p.template) AS template, COALESCE(m.media, p.media) AS media,
           COALESCE(m.fallback_template, p.fallback_template) AS fallback_template, COALESCE(m.template_category, p.template_category) AS template_category,
           by_id.last_inbound_at AS recipient_last_inbound_at,
           COALESCE(m.interactive, p.interactive) AS interactive
         FROM ${MESSAGES_TABLE} m
         LEFT JOIN contacts by_id ON by_id.id = m.contact_id
         LEFT JOIN ${MESSAGES_TABLE} p ON p.id = m.parent_id
         WHERE m.id = ANY(?::bigint[])
         ORDER BY m.id
         FOR UPDATE OF m`,
        [ids],
      );
      return rows;
    },

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

    markSending: (ids: number[], trx?: Knex) =>
      ids.length === 0 ? Promise.resolve() : table(trx).whereIn('id', ids).update({ status: 'sending', sending_since: db.fn.now(), attempts: db.raw('attempts + 1'), updated_at: db.fn.now() }).then(() => undefined),

    /**
     * A delivery webhook may have overtaken the send reply: never move a message back from delivered, read or failed.
     */
    async markSent(sent: { id: number; providerMessageId: string }[], trx: Knex = db): Promise<void> {
      if (sent.length === 0) return;
      await trx.raw(
        `UPDATE ${MESSAGES_TABLE} m SET
           status = CASE WHEN m.status IN ('delivered', 'read') OR m.failed_at IS NOT NULL THEN m.status ELSE 'sent' END,
           provider_message_id = v.provider_message_id,
           sent_at = COALESCE(m.sent_at, now()),
           sending_since = NULL,
           error_code = CASE WHEN m.failed_at IS NOT NULL THEN m.error_code END,
           error_message = CASE WHEN m.failed_at IS NOT NULL THEN m.error_message END,
           updated_at = now()
         FROM unnest(?::bigint[], ?::text[]) AS v(id, provider_message_id)
         WHERE m.id = v.id`,
        [sent.map((s) => s.id), sent.map((s) => s.providerMessageId)],
      );
    },

    /** The 24-hour window was closed at send time: these went out as their fallback template. */
    markFallbackUsed: (ids: number[], trx?: Knex) =>
      ids.length === 0 ? Promise.resolve() : table(trx).whereIn('id', ids).update({ fallback_used: true }).then(() => undefined),

    /** Held back by a WhatsApp limit until `until`, with the reason; the send workflow tries again then. */
    markDeferred: (id: number, until: Date, code: string, message: string, trx?: Knex) =>
      change(id, { status: 'deferred', scheduled_at: until, error_code: code, error_message: message, sending_since: null }, trx),

    markFailed: (id: number, code: string, message: string, trx?: Knex) =>
      change(id, { status: 'failed', error_code: code, error_message: message, sending_since: null }, trx),

    /**
     * The attempt stopped before calling WhatsApp (its send slot could not be had): nothing was sent, so a retry may
     * claim it.
     */
    releaseClaim: (ids: number[], trx?: Knex) =>
      table(trx).whereIn('id', ids).where({ status: 'sending' }).update({ sending_since: null, updated_at: db.fn.now() }).then(() => undefined),

    /** WhatsApp answered with an error worth retrying: the attempt is over, so a later claim may send again. */
    recordError: (id: number, code: string, message: string, trx?: Knex) =>
      change(id, { error_code: code, error_message: message, sending_since: null }, trx),
  };
}

export type MessagesRepository = ReturnType<typeof createMessagesRepository>;
