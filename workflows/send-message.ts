import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  upsertSearchAttributes,
  workflowInfo,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { MESSAGE_STATUS_KEY, sendTaskQueueFor, type MessageWorkflowState, type SendMessageInput, type SendOutcome } from './definitions';
import { sleepUntilDue, waitingState } from './wait-until-due';

const DATABASE_RETRY: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1 minute' };
// Retryable WhatsApp errors (429, 5xx, timeouts) back off for about an hour in total, then the message fails visibly.
const WHATSAPP_RETRY: RetryPolicy = { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 20 };

const db = proxyActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: DATABASE_RETRY });

function whatsapp() {
  return proxyActivities<Activities>({
    taskQueue: sendTaskQueueFor(workflowInfo().taskQueue),
    startToCloseTimeout: '1 minute',
    retry: WHATSAPP_RETRY,
  });
}

function setStatus(status: string): void {
  upsertSearchAttributes([{ key: MESSAGE_STATUS_KEY, value: status }]);
}

function lastFailure(err: unknown): { code: string; message: string } {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return { code: cause.type ?? 'send_failed', message: cause.message };
  return { code: 'send_failed', message: err instanceof Error ? err.message : String(err) };
}

/** Waits for a message's time (which an update may move), sends it once, records what happened. */
export async function sendMessageWorkflow({ messageId, sendAt }: SendMessageInput): Promise<SendOutcome> {
  const state = waitingState(sendAt);

  let claim: Awaited<ReturnType<Activities['claimMessage']>>;
  for (;;) {
    await sleepUntilDue(state);
    state.phase = 'sending';
    claim = await db.claimMessage(messageId);
    if (claim.outcome !== 'not_due') break;
    state.dueAt = claim.scheduledAt;
    state.phase = 'waiting';
  }
  if (claim.outcome !== 'claimed') return finish(state, claim.result);

  setStatus('sending');
  let outcome: SendOutcome;
  try {
    outcome = await whatsapp().sendToWhatsApp(claim.request);
  } catch (err) {
    outcome = { status: 'failed', ...lastFailure(err) };
  }
  await db.recordOutcome(messageId, outcome);
  return finish(state, outcome);
}

function finish(state: MessageWorkflowState, outcome: SendOutcome): SendOutcome {
  state.phase = 'done';
  state.outcome = outcome;
  setStatus(outcome.status);
  return outcome;
}
