import type { Readable } from 'node:stream';
import { Readable as NodeReadable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { AppError, notFound, unavailable } from '../errors';
import type { MessagesRepository } from '../db/repositories/messages';
import type { D360MediaClient } from '../providers/d360/media-client';
import { mediaFailureError } from './upload';

export interface MediaDownload {
  content: Readable;
  mimeType: string;
  size?: number;
  filename?: string;
}

/**
 * GET /whatsapp/{id}/media: the file an inbound message carries, fetched from 360Dialog
 * (media id -> url -> bytes) and passed on as a stream. WhatsApp keeps media for 30 days.
 */
export function createMediaDownloader({ messages, client }: { messages: MessagesRepository; client: D360MediaClient }) {
  return async function download(messageId: number): Promise<MediaDownload> {
    const message = await messages.find(messageId);
    if (!message) throw notFound('message');
    const mediaId = message.media?.id;
    if (!mediaId) throw new AppError(404, 'no_media', `message ${messageId} carries no media`);
    if (!client.configured)
      throw unavailable('not_configured', 'D360_API_KEY is not set, so media cannot be downloaded');
    const reply = await client.download(mediaId);
    if (!reply.ok) throw mediaFailureError(reply.error);
    const { response, mimeType } = reply.value;
    const length = Number(response.headers.get('content-length') ?? NaN);
    return {
      content: response.body ? NodeReadable.fromWeb(response.body as ReadableStream) : NodeReadable.from([]),
      mimeType,
      ...(Number.isFinite(length) ? { size: length } : {}),
      ...(message.media?.filename ? { filename: message.media.filename } : {}),
    };
  };
}

export type MediaDownloader = ReturnType<typeof createMediaDownloader>;
