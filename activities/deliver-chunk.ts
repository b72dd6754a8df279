import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Knex } from 'knex';
import { createMessagesRepository } from '../src/db/repositories/messages';
import { createBatchedSendSteps } from './batched-send-steps';
import { recordUntilItLands } from './durable-record';
import type { SendPath } from './send-path';
import { SEND_FAILED, WORKER_STOPPING } from '../workflows/failure-codes';

/** Sends in flight at once inside one chunk activity (the Postgres send slots still pace them to the rate cap). */
export const CHUNK_CONCURRENCY = 25;
/**
 * Every chunk this worker runs (a broadcast's lanes, other broadcasts) shares one set of coalesced steps: the
 * claims, slots and records waiting at the same moment go in one statement, however many chunks they come from.
 */
const SHARED_BATCH = 500;

export interface ChunkResult {
  /** Recipients whose send failed with a retryable error: the workflow tries them again later. */
  retry: number[];
  lastError?: { code: string; message: string };
}

/**
 * The SDK throttles what reaches the server, but every heartbeat() call still costs the worker an
 * encode and a call into core: once a second per chunk is plenty against its 20 s heartbeat timeout.
 */
const HEARTBEAT_EVERY_MS = 1_000;

function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // outside an activity (unit use): nothing to report to
  }
}

function throttledHeartbeat(): () => void {
  let last = 0;
  return () => {
    const now = Date.now();
    if (now - last < HEARTBEAT_EVERY_MS) return;
    last = now;
    heartbeat();
  };
}

const cancelled = () => {
  try {
    return Context.current().cancellationSignal.aborted;
  } catch {
    return false;
  }
};

/**
 * Broadcast deliveries a chunk at a time: for each recipient the same claim (row lock,
 * opt-out check) -> WhatsApp call -> record as a single message, but inside one activity, with the
 * claims, send slots and records of every lane of every chunk on this worker coalesced into one
 * statement for all lanes waiting at that moment. Every recipient's state is in Postgres as soon
 * as its batch commits: if the activity is retried (a worker died), settled recipients are
 * skipped, and those claimed but not yet recorded fail `send_outcome_unknown` instead of being
 * sent blindly again.
 */
export interface ChunkDeliveryDeps {
  db: Knex;
  /** Aborted when the worker begins to shut down: lanes finish their recipient and take no more. */
  stopSignal?: AbortSignal;
}

export function createChunkDelivery({ db, stopSignal }: ChunkDeliveryDeps, messages: SendPath) {
  const rows = createMessagesRepository(db);
  const stopRequested = () => Boolean(stopSignal?.aborted) || cancelled();
  const steps = createBatchedSendSteps(messages, { maxBatch: SHARED_BATCH, recordWith: recordUntilItLands });

  async function deliverOne(id: number, result: ChunkResult): Promise<void> {
    const claim = await steps.claim(id);
    if (claim?.outcome !== 'claimed') return;
    const waitMs = await steps.slot(claim.request.to).catch(async (err: unknown) => {
      await recordUntilItLands(() => messages.releaseClaim(id));
      throw err;
    });
    let outcome;
    try {
      outcome = await messages.sendAfter(waitMs, claim.request);
    } catch (err) {
      if (!(err instanceof ApplicationFailure) || err.nonRetryable) throw err;
      const lastError = { code: err.type ?? SEND_FAILED, message: err.message };
      await recordUntilItLands(() => rows.recordError(id, lastError.code, lastError.message));
      result.retry.push(id);
      result.lastError = lastError;
      return;
    }
    if (outcome.status === 'sent') await steps.recordSent({ id, providerMessageId: outcome.providerMessageId });
    // 131049 the first time: deferred, and a workflow of its own retries it later.
    else if (!(await recordUntilItLands(() => messages.deferIfMarketingCapped(id, outcome))))
      await recordUntilItLands(() => messages.recordOutcome(id, outcome));
  }

  return {
    async deliverChunk(ids: number[]): Promise<ChunkResult> {
      const result: ChunkResult = { retry: [] };
      let next = 0;
      let failure: unknown;
      const beat = throttledHeartbeat();
      const lane = async () => {
        while (next < ids.length && failure === undefined && !stopRequested()) {
          const id = ids[next++];
          try {
            await deliverOne(id, result);
          } catch (err) {
            failure ??= err;
          }
          beat();
        }
      };
      // Every lane finishes its send before the activity ends, so a failed attempt leaves nothing in flight behind it.
      await Promise.all(Array.from({ length: Math.min(CHUNK_CONCURRENCY, ids.length) }, lane));
      if (failure !== undefined) throw failure;
      if (next < ids.length)
        throw ApplicationFailure.retryable(
          'the worker is shutting down; the rest of the chunk goes to another',
          WORKER_STOPPING,
        );
      return result;
    },
  };
}
