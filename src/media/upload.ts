import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Knex } from 'knex';
import { createSendRateRepository } from '../db/repositories/send-rate';
import { AppError, fieldError, unavailable } from '../errors';
import type { D360MediaClient, MediaFailure } from '../providers/d360/media-client';
import { bareMimeType, MAX_MEDIA_BYTES, MEDIA_LIMITS, mediaTypeOf, type MediaType } from './media-types';
import { receiveFile, sizeBounded, tooLarge } from './receive-file';

/** 360Dialog takes at most 25 media uploads per second per number. */
export const UPLOADS_PER_SECOND = 25;
/** The rate row uploads share in send_rate_slots (sends use their own). */
const UPLOAD_RATE_KEY = 'media-uploads';
/** A multipart body's own bytes (boundaries, part headers, small fields) besides the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

export interface UploadedMedia {
  id: string;
  type: MediaType;
  mime_type: string;
  filename: string;
  size: number;
}

/** How a 360Dialog failure reaches our caller: down or throttled is 503 (try later), a refusal 502. */
export function mediaFailureError(failure: MediaFailure): AppError {
  if (failure.kind === 'unavailable') return unavailable('whatsapp_unavailable', failure.message);
  if (failure.kind === 'not_found') return new AppError(404, 'media_not_found', failure.message);
  return new AppError(502, 'whatsapp_error', failure.message);
}

/**
 * POST /media/: one file, checked against WhatsApp's MIME types and size for its type, streamed to
 * 360Dialog. Uploads take slots from a Postgres row shared by every API process (like sends), so
 * 25/s holds however many processes serve uploads; a burst waits for its slots instead of failing.
 */
export function createMediaUploader({ db, client }: { db: Knex; client: D360MediaClient }) {
  const rate = createSendRateRepository(db);

  return async function upload(req: IncomingMessage): Promise<UploadedMedia> {
    if (!client.configured) throw unavailable('not_configured', 'D360_API_KEY is not set, so media cannot be uploaded');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_MEDIA_BYTES + FORM_OVERHEAD_BYTES) throw tooLarge(MAX_MEDIA_BYTES, 'any file');
    const file = await receiveFile(req);
    const mimeType = bareMimeType(file.mimeType);
    const type = mediaTypeOf(mimeType);
    if (!type) {
      file.content.resume();
      const accepted = Object.values(MEDIA_LIMITS)
        .flatMap((l) => l.mimeTypes)
        .join(', ');
      throw fieldError(
        'file',
        `WhatsApp does not take ${mimeType} files; the part's Content-Type must be one of ${accepted}`,
      );
    }
    const counted = sizeBounded(MEDIA_LIMITS[type].maxBytes, mimeType);
    pipeline(file.content, counted, () => undefined);
    const [waitMs] = await rate.reserveSlots(UPLOADS_PER_SECOND, 1, UPLOAD_RATE_KEY);
    if (waitMs > 0) await sleep(waitMs);
    const reply = await client.upload({ content: counted, filename: file.filename, mimeType });
    if (!reply.ok) throw mediaFailureError(reply.error);
    return { id: reply.value.id, type, mime_type: mimeType, filename: file.filename, size: counted.bytes() };
  };
}

export type MediaUploader = ReturnType<typeof createMediaUploader>;
