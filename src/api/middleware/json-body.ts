import parse from 'co-body';
import type { Context, Next } from 'koa';
import { AppError } from '../../errors';
import { parseJsonText } from './json-text';

export const MAX_BODY_BYTES = 1024 * 1024;
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const UTF8 = new Set(['utf-8', 'utf8']);

const tooLarge = () => new AppError(413, 'payload_too_large', 'the request body is larger than 1 MB');
const notJson = (message: string) => new AppError(415, 'unsupported_media_type', message);

// encoding: false makes co-body hand back the bytes undecoded (its types only know charset names).
const RAW_BYTES = { limit: MAX_BODY_BYTES, encoding: false } as unknown as parse.Options;

/** The raw bytes, at most 1 MB; co-body/raw-body handle Content-Length, chunking and Content-Encoding. */
async function readBytes(ctx: Context): Promise<Buffer> {
  try {
    return (await parse.text(ctx, RAW_BYTES)) as unknown as Buffer;
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 413) throw tooLarge();
    if (status === 415) throw notJson((err as Error).message);
    throw new AppError(400, 'invalid_body', `the request body could not be read: ${(err as Error).message}`);
  }
}

/**
 * Reads a JSON body into ctx.request.body: 415 for other types or charsets, 413 past 1 MB,
 * 400 invalid_json when it is not UTF-8 JSON (see json-text.ts for what else is refused).
 */
export async function jsonBody(ctx: Context, next: Next): Promise<void> {
  if (!METHODS_WITH_BODY.has(ctx.method)) return next();
  const hasBody = ctx.request.length ? ctx.request.length > 0 : Boolean(ctx.get('transfer-encoding'));
  if (!hasBody) {
    ctx.request.body = undefined;
    return next();
  }
  if (!ctx.is('application/json', '+json'))
    throw notJson('the request body must be JSON (Content-Type: application/json)');
  const charset = ctx.request.charset;
  if (charset && !UTF8.has(charset)) throw notJson(`JSON must be sent as UTF-8, not ${charset}`);
  if ((ctx.request.length ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  const bytes = await readBytes(ctx);
  ctx.request.body = bytes.length === 0 ? undefined : parseJsonText(bytes);
  return next();
}

declare module 'koa' {
  interface Request {
    body?: unknown;
  }
}
