import { condition, setHandler } from '@temporalio/workflow';
import { messageStateQuery, rescheduleUpdate, type MessageWorkflowState } from './definitions';

/**
 * The waiting half shared by broadcasts and statuses: a durable timer that the
 * `reschedule` update may move while nothing has been sent yet.
 */
export function waitingState(sendAt: string | undefined): MessageWorkflowState {
  const state: MessageWorkflowState = { dueAt: sendAt ?? new Date().toISOString(), phase: 'waiting' };
  setHandler(messageStateQuery, () => state);
  setHandler(
    rescheduleUpdate,
    (at) => {
      state.dueAt = at;
      return at;
    },
    {
      validator: (at) => {
        if (state.phase !== 'waiting') throw new Error('sending has already begun');
        if (!(Date.parse(at) > Date.now())) throw new Error('the new time must be in the future');
      },
    },
  );
  return state;
}

/** Sleeps until `leadMs` before the due time; a reschedule update wakes it to start over. */
export async function sleepUntilDue(state: MessageWorkflowState, leadMs = 0): Promise<void> {
  for (;;) {
    const due = state.dueAt;
    const remaining = Date.parse(due) - leadMs - Date.now();
    if (remaining <= 0) return;
    await condition(() => state.dueAt !== due, remaining);
  }
}
