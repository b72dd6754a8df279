import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { fetch, type Response } from 'undici';
import { classifyHttpError } from './errors';

export interface MediaClientOptions {
  apiUrl: string;
  apiKey?: string;
  timeoutMs: number;
}

/** Why 360Dialog could not help: `unavailable` (unreachable, throttled, down: try later), `not_found`, `rejected`. */
export interface MediaFailure {
  kind: 'unavailable' | 'not_found' | 'rejected';
  message: string;
}

export type MediaReply<T> = { ok: true; value: T } | { ok: false; error: MediaFailure };

export interface UploadFile {
  content: Readable;
  filename: string;
  mimeType: string;
}

/** An upload may take as long as a 100 MB body takes to arrive from the caller. */
const UPLOAD_TIMEOUT_MS = 10 * 60_000;

const quoted = (value: string) => value.replace(/[\r\n"\\]/g, '_');

/** multipart/form-data built as a stream: the file's bytes pass through without being held in memory. */
async function* multipartBody(boundary: string, file: UploadFile): AsyncGenerator<Buffer> {
  const part = (headers: string) => Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`);
  yield part('Content-Disposition: form-data; name="messaging_product"');
  yield Buffer.from('whatsapp\r\n');
  yield part('Content-Disposition: form-data; name="type"');
  yield Buffer.from(`${file.mimeType}\r\n`);
  yield part(
    `Content-Disposition: form-data; name="file"; filename="${quoted(file.filename)}"\r\nContent-Type: ${file.mimeType}`,
  );
  for await (const chunk of file.content) yield chunk as Buffer;
  yield Buffer.from(`\r\n--${boundary}--\r\n`);
}

function failureOf(status: number, json: unknown): MediaFailure {
  if (status === 404)
    return { kind: 'not_found', message: '360Dialog does not have this media (WhatsApp keeps media for 30 days)' };
  const classified = classifyHttpError(status, json);
  return {
    kind: status === 429 || status >= 500 ? 'unavailable' : 'rejected',
    message: `360Dialog answered ${status}: ${classified.message}`,
  };
}

const unreachable = (err: unknown): MediaFailure => ({
  kind: 'unavailable',
  message: `360Dialog unreachable: ${(err as Error).name === 'TimeoutError' ? 'no answer in time' : (err as Error).message}`,
});

const jsonOf = async (response: Response) => {
  const text = await response.text();
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * 360Dialog's media endpoints: `POST /media` uploads (multipart, `messaging_product=whatsapp`),
 * `GET /<media id>` describes a file, and its `url` (on Meta's lookaside host) is fetched through
 * the 360Dialog host with the same key, as 360Dialog's docs say.
 */
export function createD360MediaClient({ apiUrl, apiKey, timeoutMs }: MediaClientOptions) {
  const headers = { 'D360-API-KEY': apiKey ?? '' };

  return {
    configured: Boolean(apiKey),

    async upload(file: UploadFile): Promise<MediaReply<{ id: string }>> {
      const boundary = `wa-automation-${randomBytes(12).toString('hex')}`;
      try {
        const response = await fetch(`${apiUrl}/media`, {
          method: 'POST',
          headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
          body: multipartBody(boundary, file),
          duplex: 'half',
          signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
        });
        const json = await jsonOf(response);
        const id = (json as { id?: unknown } | undefined)?.id;
        if (response.ok && (typeof id === 'string' || typeof id === 'number'))
          return { ok: true, value: { id: String(id) } };
        if (response.ok)
          return {
            ok: false,
            error: { kind: 'rejected', message: '360Dialog accepted the upload but returned no media id' },
          };
        return { ok: false, error: failureOf(response.status, json) };
      } catch (err) {
        // A file that broke off or grew too big aborts the upload: that error is the caller's, not 360Dialog's.
        if (file.content.errored) throw file.content.errored;
        return { ok: false, error: unreachable(err) };
      }
    },

    /** The file behind a media id: its bytes as a stream, with WhatsApp's MIME type. */
    async download(mediaId: string): Promise<MediaReply<{ response: Response; mimeType: string }>> {
      try {
        const info = await fetch(`${apiUrl}/${encodeURIComponent(mediaId)}`, {
          headers,
          signal: AbortSignal.timeout(timeoutMs),
        });
        const json = (await jsonOf(info)) as { url?: unknown; mime_type?: unknown } | undefined;
        if (!info.ok) return { ok: false, error: failureOf(info.status, json) };
        if (typeof json?.url !== 'string')
          return { ok: false, error: { kind: 'rejected', message: '360Dialog described the media without a url' } };
        const lookaside = new URL(json.url);
        const response = await fetch(`${apiUrl}${lookaside.pathname}${lookaside.search}`, {
          headers,
          signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
        });
        if (!response.ok) return { ok: false, error: failureOf(response.status, await jsonOf(response)) };
        const mimeType =
          typeof json.mime_type === 'string'
            ? json.mime_type
            : (response.headers.get('content-type') ?? 'application/octet-stream');
        return { ok: true, value: { response, mimeType } };
      } catch (err) {
        return { ok: false, error: unreachable(err) };
      }
    },
  };
}

export type D360MediaClient = ReturnType<typeof createD360MediaClient>;
