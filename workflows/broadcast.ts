import {
  continueAsNew,
  patched,
  proxyActivities,
  sleep,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { BroadcastResult } from '../activities/broadcasts';
import { DATABASE_RETRY, databaseActivities as db } from './activity-options';
import { MESSAGE_STATUS_KEY, sendTaskQueueFor, type BroadcastInput } from './definitions';
import { sleepUntilDue, waitingState } from './wait-until-due';
import { SEND_FAILED } from './failure-codes';
import { createDailyLimit } from './daily-limit';

/*
 * History budget and speed. Recipients go out in chunks of CHUNK_SIZE, each chunk one
 * `deliverChunk` activity on the send queue that claims, sends and records every recipient
 * itself (Postgres holds each recipient's state, so a retried chunk skips the settled ones).
 * LANES chunks run at once, a sliding window; recipients whose send hit a retryable error come back and are
 * tried again after a durable backoff, then fail with their last error. After
 * PAGES_PER_RUN pages of LANES chunks the workflow continues as new with only a cursor
 * (the last child id done): one run holds about a thousand events whatever the audience, and a
 * 10,000-recipient broadcast is one run under its workflow id `message-<id>` (a larger one, several).
 * Each continue-as-new waits for every lane to finish, so short runs cost throughput: runs started
 * before `longer-runs` keep their 3 pages (their recorded histories continue as new there).
 * We chose continue-as-new over child workflows per chunk because the cursor is all the
 * state there is, and the broadcast stays one workflow id to cancel, query and find in the Web UI.
 */
const CHUNK_SIZE = 100;
const LANES = 4;
const PAGES_PER_RUN = 25;
const PAGES_PER_RUN_BEFORE_LONGER_RUNS = 3;
const RETRY_ROUNDS = 12;
const MAX_BACKOFF_MS = 5 * 60_000;

const chunks = () =>
  proxyActivities<Activities>({
    taskQueue: sendTaskQueueFor(workflowInfo().taskQueue),
    startToCloseTimeout: '30 minutes',
    // Lanes beat at most once a second; a chunk silent this long lost its worker and moves to another.
    heartbeatTimeout: '20 seconds',
    retry: DATABASE_RETRY,
  });

/** One chunk until every recipient is settled: retryable WhatsApp errors back off durably, then fail visibly. */
async function deliverChunk(ids: number[]): Promise<void> {
  let pending = ids;
  for (let round = 1; pending.length > 0; round++) {
    const { retry, lastError } = await chunks().deliverChunk(pending);
    pending = retry;
    if (pending.length === 0) return;
    if (round >= RETRY_ROUNDS) {
      await db.failDeliveries(pending, lastError?.code ?? SEND_FAILED, lastError?.message ?? 'retries exhausted');
      return;
    }
    await sleep(Math.min(1_000 * 2 ** (round - 1), MAX_BACKOFF_MS));
  }
}

const slices = (ids: number[], size: number) =>
  Array.from({ length: Math.ceil(ids.length / size) }, (_, i) => ids.slice(i * size, (i + 1) * size));

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

  // A sliding window of LANES chunks: a lane that finishes takes the next chunk at once, and the
  // next page of ids is read while the other lanes are still sending.
  const inFlight = new Set<Promise<void>>();
  const startChunk = async (ids: number[]) => {
    while (inFlight.size >= LANES) await Promise.race(inFlight);
    const delivery: Promise<void> = deliverChunk(ids).finally(() => inFlight.delete(delivery));
    inFlight.add(delivery);
  };
  const pagesPerRun = input.pagesPerRun ?? (patched('longer-runs') ? PAGES_PER_RUN : PAGES_PER_RUN_BEFORE_LONGER_RUNS);
  let afterId = input.resumeAfterId ?? 0;
  const dailyLimit = createDailyLimit(messageId);
  for (let batch = 1; ; batch++) {
    const page = await db.broadcastChunk(messageId, afterId, CHUNK_SIZE * LANES);
    if (page.length === 0) break;
    // A paused template, a RED number or Meta's daily limit: what may go goes now, the rest waits.
    const { ids, resumeAt, code } = await dailyLimit.sendable(page, inFlight);
    for (const chunk of slices(ids, CHUNK_SIZE)) await startChunk(chunk);
    if (resumeAt) {
      await Promise.all(inFlight);
      const sentUpTo = ids.length > 0 ? ids[ids.length - 1] : afterId;
      await dailyLimit.deferUntil(sentUpTo, resumeAt, code);
      await continueAsNew<typeof broadcastWorkflow>({
        messageId,
        resumeAfterId: sentUpTo,
        pagesPerRun: input.pagesPerRun,
      });
    }
    afterId = ids[ids.length - 1];
    if (batch >= pagesPerRun || workflowInfo().continueAsNewSuggested) {
      // The cursor says "everything up to here is done": only true once every lane has finished.
      await Promise.all(inFlight);
      await continueAsNew<typeof broadcastWorkflow>({
        messageId,
        resumeAfterId: afterId,
        pagesPerRun: input.pagesPerRun,
      });
    }
  }
  await Promise.all(inFlight);
  return finish(state, await db.finishBroadcast(messageId));
}

function finish(state: ReturnType<typeof waitingState>, result: BroadcastResult): BroadcastResult {
  state.phase = 'done';
  upsertSearchAttributes([{ key: MESSAGE_STATUS_KEY, value: result.status }]);
  return result;
}
