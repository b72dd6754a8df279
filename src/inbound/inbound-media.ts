import type { MediaContent } from '../db/repositories/messages';
import { MEDIA_TYPES, type MediaType } from '../media/media-types';

const MAX_FIELD = 512;

const stringAt = (object: Record<string, unknown>, key: string): string | undefined => {
  const value = object[key];
  return typeof value === 'string' && value.length > 0 ? value.slice(0, MAX_FIELD) : undefined;
};

/**
 * The media an inbound image, document, audio, video or sticker carries, as WhatsApp reports it
 * (`<type>: {id, mime_type, sha256, caption, filename}`); undefined for other messages. The id is
 * what GET /whatsapp/{id}/media fetches the file with.
 */
export function inboundMediaOf(raw: Record<string, unknown>): MediaContent | undefined {
  const type = raw.type;
  if (typeof type !== 'string' || !(MEDIA_TYPES as readonly string[]).includes(type)) return undefined;
  const media = raw[type];
  if (typeof media !== 'object' || media === null) return undefined;
  const fields = media as Record<string, unknown>;
  const id = stringAt(fields, 'id');
  if (!id) return undefined;
  const optional = Object.fromEntries(
    (['mime_type', 'sha256', 'caption', 'filename'] as const).flatMap((key) =>
      stringAt(fields, key) ? [[key, stringAt(fields, key)]] : [],
    ),
  );
  return { type: type as MediaType, id, ...optional };
}
