import type { Client } from '@temporalio/client';
import type { Context, Next } from 'koa';

/**
 * Longest a request waits on Temporal. The client retries UNAVAILABLE for ~20 s by default,
 * far longer than an HTTP caller should hang; past the deadline the call fails with
 * DEADLINE_EXCEEDED, which infra-errors maps to 503 temporal_unavailable.
 */
export const TEMPORAL_REQUEST_DEADLINE_MS = 5_000;

/**
 * Gives every Temporal call made while handling one request a shared deadline (gRPC deadline, via AsyncLocalStorage).
 */
export const temporalDeadline = (temporal: Client, ms = TEMPORAL_REQUEST_DEADLINE_MS) =>
  function withTemporalDeadline(_ctx: Context, next: Next): Promise<void> {
    return temporal.connection.withDeadline(Date.now() + ms, () => next());
  };
