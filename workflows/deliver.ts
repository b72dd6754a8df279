import { ActivityFailure, ApplicationFailure, proxyActivities, workflowInfo, type RetryPolicy } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { sendTaskQueueFor, type SendOutcome } from './definitions';

const DATABASE_RETRY: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' };
// The same policy as single messages: retryable WhatsApp errors back off for about an hour, then the delivery fails.
const WHATSAPP_RETRY: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 20 };

export const dbActivities = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: DATABASE_RETRY });

function whatsapp() {
  return proxyActivities<Activities>({ taskQueue: sendTaskQueueFor(workflowInfo().taskQueue), startToCloseTimeout: '1 minute', retry: WHATSAPP_RETRY });
}

function lastFailure(err: unknown): { code: string; message: string } {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return { code: cause.type ?? 'send_failed', message: cause.message };
  return { code: 'send_failed', message: err instanceof Error ? err.message : String(err) };
}

/**
 * One broadcast delivery through the single-message machinery: claimMessage (row lock,
 * opt-out check, `sending`), sendToWhatsApp on the rate-capped send queue, recordOutcome.
 * A child that is already sent, failed or cancelled is left alone, so re-running never sends twice.
 */
export async function deliver(messageId: number): Promise<SendOutcome> {
  const claim = await dbActivities.claimMessage(messageId);
  if (claim.outcome === 'settled') return claim.result;
  if (claim.outcome === 'not_due') return { status: 'cancelled' };
  let outcome: SendOutcome;
  try {
    outcome = await whatsapp().sendToWhatsApp(claim.request);
  } catch (err) {
    outcome = { status: 'failed', ...lastFailure(err) };
  }
  await dbActivities.recordOutcome(messageId, outcome);
  return outcome;
}
