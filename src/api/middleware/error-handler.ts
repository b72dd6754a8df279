import type { Context, Next } from 'koa';
import { AppError } from '../../errors';
import { toAppError } from '../../infra-errors';
import type { Logger } from '../../logger';

const KOA_CODES: Record<number, string> = { 404: 'not_found', 405: 'method_not_allowed' };

const body = (err: AppError) => ({
  error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
});

/**
 * RFC 9110 wants Allow on a 405; @koa/router only sets it when it does not throw, so we list the path's methods here.
 */
const allowedMethods = (ctx: Context) => {
  const layers = (ctx as { matched?: { methods: string[] }[] }).matched ?? [];
  return [...new Set(layers.flatMap((layer) => layer.methods))].join(', ');
};

/** First in the chain: every failure leaves as `{"error":{code,message,details?}}`; 5xx texts stay in the log. */
export const errorHandler = (logger: Logger) =>
  async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined)
        throw new AppError(404, 'not_found', `no route for ${ctx.method} ${ctx.path}`);
    } catch (err) {
      let appError = toAppError(err);
      const status = (err as { status?: number }).status;
      if (!appError && status && status >= 400 && status < 500) {
        appError = new AppError(status, KOA_CODES[status] ?? 'bad_request', (err as Error).message);
      }
      // @koa/router answers 501 to a method no route knows (TRACE, PROPFIND...): the client's doing, so a 4xx like any
      // wrong method.
      if (!appError && status === 501)
        appError = new AppError(405, 'method_not_allowed', `the method ${ctx.method} is not supported`);
      if (!appError) {
        logger.error({ err, requestId: ctx.state.requestId }, 'request failed');
        appError = new AppError(500, 'internal_error', 'an unexpected error occurred; it has been logged');
      } else if (appError.status >= 500) {
        logger.warn({ err, requestId: ctx.state.requestId }, appError.message);
      }
      ctx.status = appError.status;
      ctx.body = body(appError);
      if (appError.status === 405) ctx.set('Allow', allowedMethods(ctx));
    }
  };
