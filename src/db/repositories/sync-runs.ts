import type { Knex } from 'knex';
import type { SyncCursor } from '../../providers/wordpress/entry';
import type { TableWithJson } from '../row-types';

export const SYNC_RUNS_TABLE = 'sync_runs';

export interface SkippedEntry {
  entry_id: string | null;
  reason: string;
  value?: string;
}

/** What one cycle did; also the progress an import heartbeats. */
export interface SyncCounts {
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  skippedReasons: Record<string, number>;
  skippedEntries: SkippedEntry[];
  pages: number;
}

export interface SyncRun {
  id: number;
  source: string;
  /** The configuration the run read with (source-key.ts); its cursor is only reused under the same one. */
  source_key: string | null;
  preset: string | null;
  status: 'running' | 'succeeded' | 'failed';
  started_at: Date;
  finished_at: Date | null;
  fetched: number;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  skipped_reasons: Record<string, number>;
  skipped_entries: SkippedEntry[];
  pages: number;
  cursor: SyncCursor | null;
  error: string | null;
  next_retry_at: Date | null;
}

// The report keeps a sample of skipped entries so a site owner can find them; counts stay exact.
export const MAX_SKIPPED_ENTRIES = 50;

const countColumns = (c: SyncCounts) => ({
  fetched: c.fetched,
  created: c.created,
  updated: c.updated,
  unchanged: c.unchanged,
  skipped: c.skipped,
  skipped_reasons: JSON.stringify(c.skippedReasons),
  skipped_entries: JSON.stringify(c.skippedEntries.slice(0, MAX_SKIPPED_ENTRIES)),
  pages: c.pages,
});

export function createSyncRunsRepository(db: Knex) {
  const table = () => db<TableWithJson<SyncRun, 'cursor' | 'skipped_reasons' | 'skipped_entries'>>(SYNC_RUNS_TABLE);

  return {
    async start(source: string, sourceKey: string, preset: string): Promise<SyncRun> {
      const [row] = await table().insert({ source, source_key: sourceKey, preset }).returning('*');
      return row as SyncRun;
    },

    find: (id: number) => table().where({ id }).first(),

    latest: (source: string) => table().where({ source }).orderBy('id', 'desc').first(),

    /** A run newer than `afterId` (POST /contacts/sync/ answers with the run it asked for). */
    newerThan: (source: string, afterId: number) =>
      table().where({ source }).where('id', '>', afterId).orderBy('id', 'asc').first(),

    /** Where the next cycle starts: the cursor of the newest successful run under the same configuration. */
    async lastCursor(sourceKey: string): Promise<SyncCursor | undefined> {
      const row = await table()
        .where({ source_key: sourceKey, status: 'succeeded' })
        .whereNotNull('cursor')
        .orderBy('id', 'desc')
        .first('cursor');
      return row?.cursor ?? undefined;
    },

    /** Only a running row is finished, so a retried activity cannot rewrite a settled report. */
    async finish(id: number, outcome: { counts?: SyncCounts; cursor?: SyncCursor; error?: string }): Promise<void> {
      await table()
        .where({ id, status: 'running' })
        .update({
          ...(outcome.counts ? countColumns(outcome.counts) : {}),
          status: outcome.error ? 'failed' : 'succeeded',
          cursor: outcome.cursor ? JSON.stringify(outcome.cursor) : null,
          error: outcome.error ?? null,
          next_retry_at: null,
          finished_at: db.fn.now(),
        });
    },

    /** Progress while a cycle runs, so GET /contacts/sync/ shows it moving. */
    async progress(id: number, counts: SyncCounts): Promise<void> {
      // Pages are moving again: an earlier attempt's error no longer describes the run.
      await table()
        .where({ id, status: 'running' })
        .update({ ...countColumns(counts), error: null, next_retry_at: null });
    },

    /** An attempt failed and Temporal will try again: the report shows why and when, instead of a bare `running`. */
    async retrying(id: number, error: string, nextRetryAt: Date): Promise<void> {
      await table().where({ id, status: 'running' }).update({ error, next_retry_at: nextRetryAt });
    },

    /** Runs left `running` by a worker that died between cycles are closed as failed. */
    async abandonRunning(source: string, exceptId: number): Promise<void> {
      await table()
        .where({ source, status: 'running' })
        .whereNot({ id: exceptId })
        .update({ status: 'failed', error: 'interrupted before it finished', finished_at: db.fn.now() });
    },
  };
}

export type SyncRunsRepository = ReturnType<typeof createSyncRunsRepository>;
