import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import {
  templatesChangedSignal,
  templatesSyncStateQuery,
  type TemplatesSyncInput,
  type TemplatesSyncState,
} from './templates-sync-definitions';

// About a dozen events a cycle: a fresh run every 200 cycles keeps the history small for years of hourly syncs.
const CYCLES_PER_RUN = 200;

// 360Dialog down: a few minutes of backoff, then this cycle gives up (the state shows why) until the next one.
const sync = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 6,
    nonRetryableErrorTypes: ['401', '403', 'not_configured'],
  },
});

const describe = (err: unknown) => {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : String(err);
};

/**
 * The long-running template sync (`templates-sync-<task queue>`): reads 360Dialog's template
 * list into Postgres now, then every TEMPLATE_SYNC_INTERVAL and whenever a template status or
 * quality webhook (or a submitted template) signals a change.
 */
export async function templatesSyncWorkflow(input: TemplatesSyncInput = {}): Promise<void> {
  let requested = input.syncRequested ?? true;
  const state: TemplatesSyncState = { phase: 'sleeping', cycles: input.cyclesBefore ?? 0 };
  setHandler(templatesChangedSignal, () => {
    requested = true;
  });
  setHandler(templatesSyncStateQuery, () => state);

  let intervalMs = input.intervalMs;
  const cyclesPerRun = input.cyclesPerRun ?? CYCLES_PER_RUN;
  for (let cycle = 0; cycle < cyclesPerRun && !workflowInfo().continueAsNewSuggested; cycle++) {
    if (!requested) {
      state.phase = 'sleeping';
      state.nextSyncAt = intervalMs ? new Date(Date.now() + intervalMs).toISOString() : undefined;
      if (intervalMs) await condition(() => requested, intervalMs);
      else await condition(() => requested);
    }
    requested = false;
    state.phase = 'syncing';
    try {
      const result = await sync.syncTemplates();
      intervalMs = result.intervalMs;
      state.templates = result.templates;
      state.lastSyncAt = new Date(Date.now()).toISOString();
      state.lastError = undefined;
    } catch (err) {
      state.lastError = describe(err);
    }
    state.cycles++;
  }
  await continueAsNew<typeof templatesSyncWorkflow>({
    ...input,
    syncRequested: requested,
    cyclesBefore: state.cycles,
    intervalMs,
  });
}
