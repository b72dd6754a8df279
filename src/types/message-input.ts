import type { MediaContent, Message, TemplateContent } from '../db/repositories/messages';

/**
 * A validated POST /whatsapp/ body, as services receive it. The API's zod schema
 * (api/messages/schemas.ts) is checked to produce this shape; services never depend on the API.
 */
export interface MessageCreateInput {
  /** E.164, normalised. */
  phone_number?: string;
  contact_id?: number;
  group_id?: number;
  /** A broadcast to the segment's members as they are at send time. */
  segment_id?: number;
  message?: string;
  template?: TemplateContent;
  media?: MediaContent;
  interactive?: NonNullable<Message['interactive']>;
  /** Sent instead of free text or media when the customer's 24-hour window is closed at send time. */
  fallback_template?: TemplateContent;
  /** ISO 8601 with offset. */
  scheduled_at?: string;
}
