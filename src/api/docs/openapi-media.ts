import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { MEDIA_LIMITS, MEDIA_TYPES } from '../../media/media-types';
import { idParam, json, problem } from './openapi-parts';

export const uploadedMediaSchema = z
  .object({
    id: z
      .string()
      .meta({ description: 'send it as `media: {"type": ..., "id": ...}` on POST /whatsapp/ or POST /status/' }),
    type: z.enum(MEDIA_TYPES).meta({ description: "the message type the file's MIME type belongs to" }),
    mime_type: z.string(),
    filename: z.string(),
    size: z.number().int().meta({ description: 'bytes' }),
  })
  .meta({ id: 'UploadedMedia' });

const limits = Object.entries(MEDIA_LIMITS)
  .map(([type, l]) => `${type}: ${l.mimeTypes.join(', ')} up to ${Math.round(l.maxBytes / 1024)} KB`)
  .join('; ');

/** POST /media/ and GET /whatsapp/{id}/media. */
export function registerMedia(registry: OpenAPIRegistry): void {
  const tags = ['Messages'];
  registry.registerPath({
    method: 'post',
    path: '/media/',
    operationId: 'uploadMedia',
    summary: 'Upload a file to WhatsApp and get a media id to send',
    tags,
    description:
      'multipart/form-data with one part named `file` whose Content-Type says what it is. The body is streamed to ' +
      `360Dialog (\`POST /media\`), never held whole. WhatsApp's types and limits: ${limits}. ` +
      'At most 25 uploads per second (a shared slot row in Postgres, so across every API process); more wait for their slot. ' +
      'WhatsApp keeps an upload for 30 days.',
    request: {
      body: {
        description: 'The file',
        content: { 'multipart/form-data': { schema: z.object({ file: z.string().meta({ format: 'binary' }) }) } },
      },
    },
    responses: {
      201: json(uploadedMediaSchema, 'Uploaded'),
      400: problem(
        'No `file` part, an empty file, or a MIME type WhatsApp does not take (validation_error naming `file`)',
      ),
      413: problem("Larger than WhatsApp's limit for its type (file_too_large naming `file`)"),
      415: problem('Not multipart/form-data'),
      502: problem('360Dialog refused the upload (whatsapp_error)'),
      503: problem(
        '360Dialog unreachable, throttling or failing (whatsapp_unavailable), or D360_API_KEY unset (not_configured)',
      ),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/whatsapp/{id}/media',
    operationId: 'downloadMessageMedia',
    summary: "Stream an inbound message's image, document, audio, video or sticker",
    tags,
    description:
      "Looks up the message's media id at 360Dialog (`GET /<media id>`), then downloads the file it names through the " +
      "360Dialog host, passing the bytes on as they arrive with WhatsApp's Content-Type. WhatsApp keeps media for 30 days.",
    request: { params: idParam },
    responses: {
      200: {
        description: 'The file',
        content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } },
      },
      404: problem(
        'No such message (not_found), it carries no media (no_media), or 360Dialog no longer has it (media_not_found)',
      ),
      502: problem('360Dialog refused (whatsapp_error)'),
      503: problem(
        '360Dialog unreachable, throttling or failing (whatsapp_unavailable), or D360_API_KEY unset (not_configured)',
      ),
    },
  });
}
