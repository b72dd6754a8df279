import { defineQuery, defineSignal } from '@temporalio/workflow';

/** One sync for the whole installation: the id is the business id. */
export const WORDPRESS_SYNC_WORKFLOW_ID = 'wordpress-sync';
export const WORDPRESS_SYNC_WORKFLOW_TYPE = 'wordpressSyncWorkflow';

export interface WordPressSyncInput {
  /** A "sync now" that arrived while the previous run was continuing as new. */
  syncRequested?: boolean;
  /** Cycles completed by earlier runs of this workflow id (for the operator). */
  cyclesBefore?: number;
  /** The interval the previous run last learned from the worker's WORDPRESS_SYNC_INTERVAL. */
  intervalMs?: number;
  /** Cycles before continuing as new; tests lower it to see the hand-over. */
  cyclesPerRun?: number;
  /** A "sync now" with `full: true` not yet served: the next cycle ignores the cursor and entry hashes. */
  fullRequested?: boolean;
}

export interface SyncNowRequest {
  /** Read and upsert every entry again, whatever the cursor says. */
  full?: boolean;
}

/**
 * WordPress down for longer than the client's quick retries: Temporal tries the import again
 * 5 s, 10 s, ... up to 5 min apart, 9 attempts (about a quarter of an hour), then the cycle
 * fails and the next interval tries again. Numbers here so the activity can tell the report
 * when the next attempt comes.
 */
export const WORDPRESS_IMPORT_RETRY = {
  initialIntervalMs: 5_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 5 * 60_000,
  maximumAttempts: 9,
};

/** The wait Temporal puts after failed attempt `attempt` (1-based), or undefined after the last. */
export function importRetryDelayMs(attempt: number): number | undefined {
  const { initialIntervalMs, backoffCoefficient, maximumIntervalMs, maximumAttempts } = WORDPRESS_IMPORT_RETRY;
  if (attempt >= maximumAttempts) return undefined;
  return Math.min(maximumIntervalMs, initialIntervalMs * backoffCoefficient ** (attempt - 1));
}

export interface WordPressSyncState {
  phase: 'syncing' | 'sleeping';
  cycles: number;
  nextSyncAt?: string;
  lastRunId?: number;
  lastError?: string;
}

/** POST /contacts/sync/: run a cycle now instead of waiting for the interval. */
export const syncNowSignal = defineSignal<[SyncNowRequest?]>('syncNow');
/**
 * A worker started: the README promises a cycle then, so a sleeping sync runs one now (a running cycle already is one).
 */
export const workerStartedSignal = defineSignal('workerStarted');
export const wordpressSyncStateQuery = defineQuery<WordPressSyncState>('wordpressSyncState');
