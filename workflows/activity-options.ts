import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  workflowInfo,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { sendTaskQueueFor } from './definitions';
import { SEND_FAILED } from './failure-codes';

/**
 * Postgres may be down for a while: retry with backoff for about 35 minutes (40 attempts, the
 * last 34 a minute apart), then fail the workflow visibly with the last error, never loop
 * forever on an event that always throws. Errors Postgres would raise for the same input
 * again (activities/poison.ts) are not retried at all.
 */
export const DATABASE_RETRY: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
  maximumAttempts: 40,
};

/**
 * Retryable WhatsApp errors (429, 5xx, timeouts) back off for about an hour in total, then the message fails visibly.
 */
export const WHATSAPP_RETRY: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '5 minutes',
  maximumAttempts: 20,
};

export const DATABASE_TIMEOUT = '30 seconds';

export const databaseActivities = proxyActivities<Activities>({
  startToCloseTimeout: DATABASE_TIMEOUT,
  retry: DATABASE_RETRY,
});

/**
 * How long before its time a message's send activity starts and waits in the worker. The engine must
 * hand out every activity due at one instant within it: at the dev server's ~100 a second, 30 s
 * covers about 3,000 messages due together.
 */
export const SEND_LEAD_MS = 30_000;

/** The early-started send: heartbeats while it waits, so a cancel or a moved time reaches it. */
export const dueDeliveryActivities = () =>
  proxyActivities<Activities>({
    taskQueue: sendTaskQueueFor(workflowInfo().taskQueue),
    startToCloseTimeout: '2 minutes',
    // Beats every second while waiting; after the claim, the slot wait (at most the lead) and the HTTP call
    // (D360_TIMEOUT_MS) fit.
    heartbeatTimeout: '45 seconds',
    retry: WHATSAPP_RETRY,
  });

/** The last error of an activity that ran out of retries, as `{code, message}` for the message row. */
export function lastFailure(err: unknown): { code: string; message: string } {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return { code: cause.type ?? SEND_FAILED, message: cause.message };
  return { code: SEND_FAILED, message: err instanceof Error ? err.message : String(err) };
}
