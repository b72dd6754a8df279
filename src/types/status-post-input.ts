import type { MediaContent, Message, TemplateContent } from '../db/repositories/messages';

/** A validated POST /status/ body (api/status-posts/schemas.ts is checked to produce it). */
export interface StatusPostCreateInput {
  /** Required unless `interactive` is given (its body is then the status's text). */
  text?: string;
  /** ISO 8601 with offset; absent means publish now. */
  scheduled_at?: string;
  media?: MediaContent;
  template?: TemplateContent;
  /** Reply buttons, a list or a CTA URL button: sent instead of the text, with POST /whatsapp/'s limits. */
  interactive?: NonNullable<Message['interactive']>;
  /** Absent means every contact who has not opted out. */
  group_ids?: number[];
  /** The audience instead of group_ids: the segment's members at publish time. */
  segment_id?: number;
}
