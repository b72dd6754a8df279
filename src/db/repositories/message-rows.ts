import type { Knex } from 'knex';
import type { InteractiveContent } from '../../providers/d360/interactive-schema';
import type { TableWithJson } from '../row-types';
import type { SegmentFilter } from '../../campaigns/segment-filter';
import type { MediaType } from '../../media/media-types';

export const MESSAGES_TABLE = 'messages';

export type MessageStatus =
  'scheduled' | 'sending' | 'sent' | 'delivered' | 'read' | 'cancelled' | 'failed' | 'received' | 'deferred';
export type MessageType = 'text' | 'template' | 'media' | 'interactive';
export type MessageDirection = 'outbound' | 'inbound';
export type MessageKind = 'single' | 'broadcast';
/** What WhatsApp calls the message types it delivers by webhook; anything else is stored as `unknown`. */
export const INBOUND_TYPES = [
  'text',
  'image',
  'document',
  'audio',
  'video',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'order',
  'system',
  'unsupported',
  'unknown',
] as const;
export type InboundMessageType = (typeof INBOUND_TYPES)[number];
export type AutoReplyKind = 'rule' | 'outside_hours' | 'opt_out' | 'opt_in';

export interface TemplateContent {
  name: string;
  language: string;
  components?: unknown[];
}

/** Outbound: a public `link` or an uploaded media `id`. Inbound: WhatsApp's media `id`, `mime_type` (and `sha256`). */
export interface MediaContent {
  type: MediaType;
  link?: string;
  id?: string;
  caption?: string;
  filename?: string;
  mime_type?: string;
  sha256?: string;
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
  Partial<
    Pick<
      Message,
      | 'text'
      | 'template'
      | 'media'
      | 'interactive'
      | 'scheduled_at'
      | 'idempotency_key'
      | 'request_fingerprint'
      | 'reply_to_id'
      | 'auto_reply_rule_id'
      | 'auto_reply_kind'
      | 'kind'
      | 'group_id'
      | 'audience_group_ids'
      | 'fallback_template'
      | 'warnings'
      | 'template_category'
      | 'segment_id'
      | 'audience_filter'
      | 'retry_of_id'
    >
  >;

type JsonColumn =
  'template' | 'media' | 'audience_group_ids' | 'fallback_template' | 'warnings' | 'interactive' | 'audience_filter';

/** The messages table, typed: rows read as `Message`, jsonb columns written as JSON text. */
export const messagesTable = (trx: Knex) => trx<TableWithJson<Message, JsonColumn>>(MESSAGES_TABLE);

/** Updates one message's columns (and updated_at); the row as it is afterwards. */
export const changeMessage = (db: Knex, id: number, fields: Record<string, unknown>, trx: Knex = db) =>
  messagesTable(trx)
    .where({ id })
    .update({ ...fields, updated_at: db.fn.now() })
    .returning('*')
    .then((rows) => rows[0] as Message | undefined);
