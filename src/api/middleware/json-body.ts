import parse from 'co-body';
import type { Context, Next } from 'koa';
import { AppError } from '../../errors';

export const MAX_BODY_BYTES = 1024 * 1024;
const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** Reads a JSON body into ctx.request.body: 415 for other types, 413 past 1 MB, 400 when malformed. */
export async function jsonBody(ctx: Context, next: Next): Promise<void> {
  if (!METHODS_WITH_BODY.has(ctx.method)) return next();
  const hasBody = ctx.request.length ? ctx.request.length > 0 : Boolean(ctx.get('transfer-encoding'));
  if (!hasBody) {
    ctx.request.body = undefined;
    return next();
  }
  if (!ctx.is('application/json', '+json')) {
    throw new AppError(415, 'unsupported_media_type', 'the request body must be JSON (Content-Type: application/json)');
  }
  try {
    ctx.request.body = await parse.json(ctx, { limit: MAX_BODY_BYTES, strict: true });
  } catch (err) {
    const status = (err as { status?: number }).status;
    if (status === 413) throw new AppError(413, 'payload_too_large', 'the request body is larger than 1 MB');
    if (status === 415) throw new AppError(415, 'unsupported_media_type', (err as Error).message);
    throw new AppError(400, 'invalid_json', `the request body is not valid JSON: ${(err as Error).message}`);
  }
  return next();
}

declare module 'koa' {
  interface Request {
    body?: unknown;
  }
}
