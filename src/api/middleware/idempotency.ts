import { createHash } from 'node:crypto';
import type { Context, Next } from 'koa';
import type { IdempotencyKeysRepository } from '../../db/repositories/idempotency-keys';
import { AppError, fieldError } from '../../errors';
import type { Logger } from '../../logger';

const KEY = /^[\x21-\x7e]{1,255}$/;
/** A first request still running after this long died with its process; a retry may take its key over. */
export const IDEMPOTENCY_LOCK_TIMEOUT_MS = 60_000;
const PURGE_EVERY_MS = 60_000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface IdempotencyOptions {
  keys: IdempotencyKeysRepository;
  ttlMs: number;
  logger: Logger;
}

/**
 * Idempotency-Key for creating POSTs, with Stripe's semantics: the first request's status and
 * body are kept for IDEMPOTENCY_TTL and replayed (`Idempotent-Replayed: true`) to any repeat
 * with the same key and body; a repeat while the first still runs gets 409
 * idempotency_in_progress; the same key with another body 422. Keys are scoped per route and
 * credential. Errors and 5xx answers are not kept, so the client may retry with the same key.
 * The route reads `ctx.state.idempotencyToken` when its own rows need a unique mark (messages).
 */
export function createIdempotency({ keys, ttlMs, logger }: IdempotencyOptions) {
  let lastPurge = 0;
  const purgeNow = () => {
    if (Date.now() - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = Date.now();
    keys.purgeExpired().catch((err: unknown) => logger.warn({ err }, 'could not purge expired idempotency keys'));
  };

  return (route: string) =>
    async function idempotency(ctx: Context, next: Next): Promise<void> {
      const key = ctx.get('idempotency-key');
      if (!key) return next();
      if (!KEY.test(key)) throw fieldError('Idempotency-Key', 'must be 1-255 visible ASCII characters');
      const credential = ctx.get('authorization');
      const scope = `${ctx.method} ${route}${credential ? ` ${sha256(credential).slice(0, 16)}` : ''}`;
      const fingerprint = sha256(JSON.stringify(ctx.request.body ?? null));
      purgeNow();

      const begun = await keys.begin(scope, key, fingerprint, { ttlMs, lockTimeoutMs: IDEMPOTENCY_LOCK_TIMEOUT_MS });
      if (begun.kind === 'mismatch')
        throw new AppError(
          422,
          'idempotency_key_reused',
          'this Idempotency-Key was already used with a different request body',
        );
      if (begun.kind === 'in_progress')
        throw new AppError(
          409,
          'idempotency_in_progress',
          'a request with this Idempotency-Key is still being processed; retry later',
        );
      if (begun.kind === 'replay') {
        ctx.status = begun.status;
        ctx.body = begun.body ?? '';
        ctx.set('Idempotent-Replayed', 'true');
        return;
      }

      ctx.state.idempotencyToken = begun.token;
      try {
        await next();
      } catch (err) {
        await keys.release(scope, key, begun.token).catch(() => undefined);
        throw err;
      }
      if (ctx.status >= 500) await keys.release(scope, key, begun.token);
      else await keys.finish(scope, key, begun.token, ctx.status, ctx.body);
    };
}

export type IdempotentRoute = ReturnType<typeof createIdempotency>;
