import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import { DATABASE_RETRY } from './activity-options';
import type { ImportResult } from '../activities/wordpress-sync';
import {
  syncNowSignal,
  WORDPRESS_IMPORT_RETRY,
  workerStartedSignal,
  wordpressSyncStateQuery,
  type WordPressSyncInput,
  type WordPressSyncState,
} from './wordpress-sync-definitions';
import { WORDPRESS_PERMANENT_FAILURES } from './failure-codes';

// The history of one run stays small (about 15 events a cycle); a fresh run every so many cycles
// keeps it that way for years of five-minute cycles.
const CYCLES_PER_RUN = 200;
const DEFAULT_INTERVAL_MS = 5 * 60_000;

// WordPress down for longer than the client's quick retries (see WORDPRESS_IMPORT_RETRY); then the
// cycle fails (the report shows the error) and the next interval tries again.
const WORDPRESS_RETRY: RetryPolicy = {
  initialInterval: WORDPRESS_IMPORT_RETRY.initialIntervalMs,
  backoffCoefficient: WORDPRESS_IMPORT_RETRY.backoffCoefficient,
  maximumInterval: WORDPRESS_IMPORT_RETRY.maximumIntervalMs,
  maximumAttempts: WORDPRESS_IMPORT_RETRY.maximumAttempts,
  nonRetryableErrorTypes: WORDPRESS_PERMANENT_FAILURES,
};

const db = proxyActivities<Activities>({ startToCloseTimeout: '1 minute', retry: DATABASE_RETRY });
// The import beats after every page and every quick retry; a worker silent for longer is presumed
// dead and the import moves to another, resuming from the last page it heartbeated.
const wordpress = (heartbeatTimeoutMs: number) =>
  proxyActivities<Activities>({
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: heartbeatTimeoutMs,
    retry: WORDPRESS_RETRY,
  });

function describe(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure || cause instanceof Error) return cause.message;
  return String(err);
}

/**
 * The long-running WordPress lead sync: a cycle now, then one every WORDPRESS_SYNC_INTERVAL
 * or whenever "sync now" arrives. Each cycle imports new and changed entries since the
 * cursor, seats new contacts in groups, and records what it did for GET /contacts/sync/.
 */
export async function wordpressSyncWorkflow(input: WordPressSyncInput = {}): Promise<void> {
  let requested = input.syncRequested ?? true;
  let full = input.fullRequested ?? false;
  const state: WordPressSyncState = { phase: 'sleeping', cycles: input.cyclesBefore ?? 0 };
  setHandler(syncNowSignal, (request) => {
    requested = true;
    if (request?.full) full = true;
  });
  setHandler(workerStartedSignal, () => {
    if (state.phase === 'sleeping') requested = true;
  });
  setHandler(wordpressSyncStateQuery, () => state);

  let intervalMs = input.intervalMs ?? DEFAULT_INTERVAL_MS;
  const cyclesPerRun = input.cyclesPerRun ?? CYCLES_PER_RUN;
  for (let cycle = 0; cycle < cyclesPerRun && !workflowInfo().continueAsNewSuggested; cycle++) {
    if (!requested) {
      state.phase = 'sleeping';
      state.nextSyncAt = new Date(Date.now() + intervalMs).toISOString();
      await condition(() => requested, intervalMs);
    }
    requested = false;
    const fullPass = full;
    full = false;
    state.phase = 'syncing';
    state.nextSyncAt = undefined;

    const start = await db.beginWordPressSync(fullPass);
    intervalMs = start.intervalMs;
    state.lastRunId = start.runId;
    let result: ImportResult | undefined;
    let error: string | undefined;
    try {
      result = await wordpress(start.heartbeatTimeoutMs).importWordPressLeads(start.runId, start.cursor, fullPass);
    } catch (err) {
      error = describe(err);
    }
    // Contacts created before a failure still deserve a seat.
    await db.rebalanceContactGroups();
    await db.finishWordPressSync(start.runId, { ...result, error });
    state.lastError = error;
    state.cycles++;
  }
  // A "sync now" that arrived during the last cycle is carried into the next run.
  await continueAsNew<typeof wordpressSyncWorkflow>({
    ...input,
    syncRequested: requested,
    fullRequested: full,
    cyclesBefore: state.cycles,
    intervalMs,
  });
}
