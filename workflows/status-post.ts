import { executeChild, upsertSearchAttributes } from '@temporalio/workflow';
import { broadcastWorkflow } from './broadcast';
import { MESSAGE_STATUS_KEY, messageWorkflowId, type StatusPostInput } from './definitions';
import { databaseActivities as db } from './activity-options';
import { sleepUntilDue, waitingState } from './wait-until-due';

/**
 * A status (`status-<id>`): waits for its time, then delivers it as a broadcast to its
 * audience through the same workflow as POST /whatsapp/ with a group (`message-<id>`, a
 * child here), and records the outcome. WhatsApp Status itself cannot be posted through
 * the Business Platform; see the README.
 */
export async function statusPostWorkflow({ statusId, publishAt }: StatusPostInput): Promise<string> {
  const state = waitingState(publishAt);
  let messageId: number;
  for (;;) {
    await sleepUntilDue(state);
    state.phase = 'sending';
    const start = await db.beginStatusPublish(statusId);
    if (start.outcome === 'settled') return done(start.status);
    if (start.outcome === 'publishing') {
      messageId = start.messageId;
      break;
    }
    state.dueAt = start.scheduledAt;
    state.phase = 'waiting';
  }
  upsertSearchAttributes([{ key: MESSAGE_STATUS_KEY, value: 'publishing' }]);
  const result = await executeChild(broadcastWorkflow, {
    workflowId: messageWorkflowId(messageId),
    args: [{ messageId }],
  });
  return done(await db.finishStatusPublish(statusId, result));
}

function done(status: string): string {
  upsertSearchAttributes([{ key: MESSAGE_STATUS_KEY, value: status }]);
  return status;
}
