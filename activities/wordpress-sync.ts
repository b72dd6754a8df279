import { activityInfo, ApplicationFailure, cancellationSignal, heartbeat } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { CountryCode } from 'libphonenumber-js/max';
import { syncFinished } from '../src/event-webhooks/emit';
import type { WordPressConfig } from '../src/config-wordpress';
import { createSyncRunsRepository, type SyncCounts } from '../src/db/repositories/sync-runs';
import { createWordPressClient } from '../src/providers/wordpress/client';
import type { SyncCursor } from '../src/providers/wordpress/entry';
import { WordPressError } from '../src/providers/wordpress/errors';
import { QUICK_RETRY, withQuickRetries } from '../src/providers/wordpress/retry';
import { sourceKey } from '../src/providers/wordpress/source-key';
import { rebalanceGroups } from '../src/services/groups';
import { CONTACT_SOURCE, importLeads, startProgress, type ImportProgress } from '../src/services/wordpress-import';
import { importRetryDelayMs } from '../workflows/wordpress-sync-definitions';
import { NOT_CONFIGURED } from '../workflows/failure-codes';

export interface WordPressActivityDeps {
  db: Knex;
  wordpress?: WordPressConfig;
  defaultPhoneRegion?: CountryCode;
  /** Where the workflows of sequences that new leads trigger run. */
  taskQueue: string;
}

export interface SyncCycleStart {
  runId: number;
  cursor?: SyncCursor;
  intervalMs: number;
  /** Longer than the slowest page (request timeout times quick retries), so only a dead worker misses it. */
  heartbeatTimeoutMs: number;
}

// A page takes milliseconds; heartbeating each (up to 50,000 remembered phones) and writing the
// run row each would cost more than the page. A retry resumes from the last page reported.
const REPORT_EVERY_MS = 1_000;

const heartbeatTimeoutFor = (timeoutMs: number) =>
  Math.max(60_000, QUICK_RETRY.attempts * timeoutMs + QUICK_RETRY.maxDelayMs * QUICK_RETRY.attempts);

export interface ImportResult {
  counts: SyncCounts;
  cursor?: SyncCursor;
}

/** WordPress failures cross into Temporal typed by code, retryable or not (errors.ts decides). */
function toFailure(err: unknown): unknown {
  if (!(err instanceof WordPressError)) return err;
  return ApplicationFailure.create({ message: err.message, type: err.code, nonRetryable: !err.retryable });
}

export function createWordPressSyncActivities({ db, wordpress, defaultPhoneRegion, taskQueue }: WordPressActivityDeps) {
  const runs = createSyncRunsRepository(db);
  const configured = () => {
    if (!wordpress)
      throw ApplicationFailure.nonRetryable(
        'WORDPRESS_URL is not set on the worker, so there is nothing to sync',
        NOT_CONFIGURED,
      );
    return wordpress;
  };

  /** Temporal will try again: the report shows this attempt's error and when the next one comes. */
  async function reportRetry(runId: number, err: unknown): Promise<void> {
    // A cancelled attempt (worker shutting down) is not WordPress's failure; a permanent one is reported by the cycle.
    if (cancellationSignal().aborted || (err instanceof WordPressError && !err.retryable)) return;
    const delayMs = importRetryDelayMs(activityInfo().attempt);
    if (delayMs === undefined) return;
    await runs
      .retrying(runId, err instanceof Error ? err.message : String(err), new Date(Date.now() + delayMs))
      .catch(() => undefined);
  }

  return {
    /** Opens the run row the report shows and hands the cycle its starting cursor (none for a full pass). */
    async beginWordPressSync(full = false): Promise<SyncCycleStart> {
      const settings = configured();
      const key = sourceKey(settings, defaultPhoneRegion);
      const cursor = full ? undefined : await runs.lastCursor(key);
      const run = await runs.start(CONTACT_SOURCE, key, settings.preset);
      await runs.abandonRunning(CONTACT_SOURCE, run.id);
      return {
        runId: run.id,
        cursor,
        intervalMs: settings.intervalMs,
        heartbeatTimeoutMs: heartbeatTimeoutFor(settings.timeoutMs),
      };
    },

    /** Pages through the lead route; heartbeats its page so a retry (or a new worker) resumes there. */
    async importWordPressLeads(runId: number, cursor?: SyncCursor, full = false): Promise<ImportResult> {
      const settings = configured();
      const cancelled = cancellationSignal();
      const client = createWordPressClient({ ...settings, signal: cancelled });
      const resumed = activityInfo().heartbeatDetails as ImportProgress | undefined;
      let latest = resumed ?? startProgress();
      let reportedAt = 0;
      try {
        const done = await importLeads(
          {
            db,
            client,
            fields: settings.fields,
            region: defaultPhoneRegion,
            taskQueue,
            sourceKey: sourceKey(settings, defaultPhoneRegion),
            full,
            fetchWithRetry: (call) => withQuickRetries(call, () => heartbeat(latest), QUICK_RETRY, cancelled),
            onPage: async (progress) => {
              latest = progress;
              if (Date.now() - reportedAt < REPORT_EVERY_MS) return;
              reportedAt = Date.now();
              heartbeat(progress);
              await runs.progress(runId, progress.counts);
            },
          },
          cursor,
          latest,
        );
        return { counts: done.counts, cursor: done.cursor };
      } catch (err) {
        await reportRetry(runId, err);
        throw toFailure(err);
      }
    },

    /** Seats contacts left without a group and moves overflow when a capacity was lowered. */
    async rebalanceContactGroups(): Promise<void> {
      await rebalanceGroups(db);
    },

    async finishWordPressSync(
      runId: number,
      outcome: { counts?: SyncCounts; cursor?: SyncCursor; error?: string },
    ): Promise<void> {
      await runs.finish(runId, outcome);
      // After the run row: a retry finds the event already recorded (its id is the run's).
      await syncFinished(db, runId, outcome);
    },
  };
}
