import { upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { databaseActivities as db } from './activity-options';
import { sendClaimed } from './deliver';
import { MESSAGE_STATUS_KEY, type MessageWorkflowState, type SendMessageInput, type SendOutcome } from './definitions';
import { sleepUntilDue, waitingState } from './wait-until-due';

function setStatus(status: string): void {
  upsertSearchAttributes([{ key: MESSAGE_STATUS_KEY, value: status }]);
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
  return finish(state, await sendClaimed(messageId, claim.request));
}

function finish(state: MessageWorkflowState, outcome: SendOutcome): SendOutcome {
  state.phase = 'done';
  state.outcome = outcome;
  setStatus(outcome.status);
  return outcome;
}
