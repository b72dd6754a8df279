import {
  CancellationScope,
  condition,
  isCancellation,
  patched,
  upsertMemo,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { databaseActivities as db, dueDeliveryActivities, lastFailure, SEND_LEAD_MS } from './activity-options';
import { MESSAGE_STATUS_KEY, type MessageWorkflowState, type SendMessageInput, type SendOutcome } from './definitions';
import type { DueDelivery } from '../activities/deliver-when-due';
import { sleepUntilDue, waitingState } from './wait-until-due';

function setStatus(status: string): void {
  upsertSearchAttributes([{ key: MESSAGE_STATUS_KEY, value: status }]);
}

/**
 * Waits for a message's time (which an update may move), sends it once, records what happened.
 * The send activity starts SEND_LEAD_MS early and waits in the worker, so at the due instant
 * only Postgres and WhatsApp are involved; if the time moves meanwhile, that activity is
 * cancelled and the wait starts over.
 */
export async function sendMessageWorkflow({ messageId, sendAt }: SendMessageInput): Promise<SendOutcome> {
  const state = waitingState(sendAt);
  let heldShown = false;
  for (;;) {
    await sleepUntilDue(state, SEND_LEAD_MS);
    const due = state.dueAt;
    const delivery = await deliverUnlessMoved(messageId, state, due);
    if (delivery === 'moved') continue;
    if (delivery.kind === 'not_due') {
      // Held by a WhatsApp rule (a paused template, the daily limit, 131049): why, where people look. Histories
      // recorded before a hold had a reason never reach this.
      if (delivery.held && patched('held-memo')) {
        setStatus('deferred');
        upsertMemo({ deferred: delivery.held });
        heldShown = true;
      }
      state.dueAt = delivery.scheduledAt;
      continue;
    }
    // No longer held: the reason leaves the memo (only a run that showed one has this command).
    if (heldShown) upsertMemo({ deferred: undefined });
    return finish(state, delivery.outcome);
  }
}

async function deliverUnlessMoved(
  messageId: number,
  state: MessageWorkflowState,
  due: string,
): Promise<DueDelivery | 'moved'> {
  const scope = new CancellationScope();
  const attempt = scope.run(() => dueDeliveryActivities().deliverWhenDue(messageId, due));
  const moved = condition(() => state.dueAt !== due).then(() => 'moved' as const);
  const first = await Promise.race([
    attempt.then(
      (delivery) => ({ delivery }),
      (error: unknown) => ({ error }),
    ),
    moved,
  ]);
  if (first === 'moved') {
    scope.cancel();
    await attempt.catch(() => undefined);
    return 'moved';
  }
  if ('delivery' in first) return first.delivery;
  if (isCancellation(first.error)) throw first.error;
  // Retryable errors outlasted the retry policy: the message fails with the last one, recorded like any outcome.
  const outcome: SendOutcome = { status: 'failed', ...lastFailure(first.error) };
  await db.recordOutcome(messageId, outcome);
  return { kind: 'done', outcome };
}

function finish(state: MessageWorkflowState, outcome: SendOutcome): SendOutcome {
  state.phase = 'done';
  state.outcome = outcome;
  setStatus(outcome.status);
  // The reason in words where people look in the Web UI (e.g. outside_service_window, a WhatsApp code).
  if (outcome.status === 'failed') upsertMemo({ error: { code: outcome.code, message: outcome.message } });
  return outcome;
}
