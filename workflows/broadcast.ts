import { continueAsNew, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { BroadcastResult } from '../activities/broadcasts';
import { MESSAGE_STATUS_KEY, type BroadcastInput } from './definitions';
import { databaseActivities as db } from './activity-options';
import { deliver } from './deliver';
import { sleepUntilDue, waitingState } from './wait-until-due';

/*
 * History budget. Each delivery costs three activities (claim, send, record), about ten
 * history events. The workflow sends CHUNK_SIZE recipients at a time, LANES in parallel
 * (the send queue's server-side rate cap paces them), and after CHUNKS_PER_RUN chunks it
 * continues as new with only a cursor (the last child id done). So one run holds at most
 * ~5,000 events whatever the audience: a 10,000-recipient broadcast is a chain of about 20
 * small runs under the same workflow id `message-<id>`. We chose continue-as-new over child
 * workflows per chunk because the cursor is all the state there is, the broadcast stays one
 * workflow id to cancel, query and find in the Web UI, and a chunk needs no separate id.
 * Progress lives in Postgres too (each child's status), so a killed worker resumes from the
 * last recorded event and a delivery that was in flight is at worst sent once more.
 */
const CHUNK_SIZE = 100;
const LANES = 20;
const CHUNKS_PER_RUN = 5;

export async function broadcastWorkflow(input: BroadcastInput): Promise<BroadcastResult> {
  const { messageId } = input;
  const state = waitingState(input.sendAt);
  if (input.resumeAfterId === undefined) {
    for (;;) {
      await sleepUntilDue(state);
      state.phase = 'sending';
      const start = await db.startBroadcast(messageId);
      if (start.outcome === 'settled') return finish(state, await db.finishBroadcast(messageId));
      if (start.outcome === 'started') break;
      state.dueAt = start.scheduledAt;
      state.phase = 'waiting';
    }
  }
  state.phase = 'sending';
  upsertSearchAttributes([{ key: MESSAGE_STATUS_KEY, value: 'sending' }]);

  let afterId = input.resumeAfterId ?? 0;
  for (let chunk = 1; ; chunk++) {
    const ids = await db.broadcastChunk(messageId, afterId, CHUNK_SIZE);
    if (ids.length === 0) break;
    await inLanes(ids, deliver);
    afterId = ids[ids.length - 1];
    if (chunk >= CHUNKS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof broadcastWorkflow>({ messageId, resumeAfterId: afterId });
    }
  }
  return finish(state, await db.finishBroadcast(messageId));
}

async function inLanes<T>(items: T[], work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(LANES, items.length) }, lane));
}

function finish(state: ReturnType<typeof waitingState>, result: BroadcastResult): BroadcastResult {
  state.phase = 'done';
  upsertSearchAttributes([{ key: MESSAGE_STATUS_KEY, value: result.status }]);
  return result;
}
