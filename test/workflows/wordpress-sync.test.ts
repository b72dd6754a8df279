import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import type { ImportResult, SyncCycleStart } from '../../activities/wordpress-sync';
import type { SyncCounts } from '../../src/db/repositories/sync-runs';
import type { SyncCursor } from '../../src/providers/wordpress/entry';
import { wordpressSyncWorkflow } from '../../workflows';
import { syncNowSignal, wordpressSyncStateQuery } from '../../workflows/wordpress-sync-definitions';
import { eventually } from '../helpers/poll';
import { recordHistory } from '../helpers/record-history';
import { newTaskQueue, withWorkers, workflowEnvironment } from '../helpers/workflow-env';

const COUNTS = {
  fetched: 1,
  created: 1,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  skippedReasons: {},
  skippedEntries: [],
  pages: 1,
} as unknown as SyncCounts;
const cursorAt = (id: string): SyncCursor => ({ modifiedAt: `2026-01-0${id}T00:00:00Z`, id });

interface Run {
  cursor?: SyncCursor;
  finished?: { cursor?: SyncCursor; error?: string };
}

/**
 * The sync's database as the activities keep it: each cycle starts from the cursor of the last
 * run that finished with one, and the import answers from a script.
 */
function syncDatabase(imports: Array<(cursor?: SyncCursor) => ImportResult>) {
  const runs: Run[] = [];
  let rebalanced = 0;
  const activities = {
    async beginWordPressSync(): Promise<SyncCycleStart> {
      const cursor = [...runs].reverse().find((run) => run.finished?.cursor)?.finished?.cursor;
      runs.push({ cursor });
      return { runId: runs.length, cursor, intervalMs: 60 * 60_000, heartbeatTimeoutMs: 60_000 };
    },
    async importWordPressLeads(_runId: number, cursor?: SyncCursor): Promise<ImportResult> {
      const next = imports.shift();
      if (!next) throw new Error('no import scripted');
      return next(cursor);
    },
    async rebalanceContactGroups(): Promise<void> {
      rebalanced++;
    },
    async finishWordPressSync(runId: number, outcome: Run['finished'] & { counts?: SyncCounts }): Promise<void> {
      runs[runId - 1].finished = { cursor: outcome.cursor, error: outcome.error };
    },
  };
  return { runs, activities, rebalanced: () => rebalanced };
}

describe('wordpressSyncWorkflow (activities mocked)', () => {
  it('resumes from the last good cursor after a failed cycle, across continue-as-new', async () => {
    const env = await workflowEnvironment();
    const unauthorized = () => {
      throw ApplicationFailure.nonRetryable('WordPress refused the application password', 'unauthorized');
    };
    const database = syncDatabase([
      () => ({ counts: COUNTS, cursor: cursorAt('1') }),
      unauthorized,
      () => ({ counts: COUNTS, cursor: cursorAt('2') }),
    ]);
    const taskQueue = newTaskQueue();
    await withWorkers(taskQueue, database.activities, async () => {
      // Two cycles a run, so the third cycle is in the second run.
      const handle = await env.client.workflow.start(wordpressSyncWorkflow, {
        taskQueue,
        workflowId: `wordpress-sync-${taskQueue}`,
        args: [{ cyclesPerRun: 2 }],
      });
      const state = () => handle.query(wordpressSyncStateQuery);
      await eventually(async () => (await state()).cycles === 1 && (await state()).phase === 'sleeping', {
        what: 'the first cycle',
      });
      await handle.signal(syncNowSignal);
      await eventually(async () => (await handle.describe()).runId !== handle.firstExecutionRunId, {
        what: 'the second run',
      });
      assert.equal((await state()).cycles, 2, 'the cycles of the first run carried over');
      await handle.signal(syncNowSignal);
      await eventually(async () => (await state()).cycles === 3 && (await state()).phase === 'sleeping', {
        what: 'the third cycle',
      });

      assert.deepEqual(
        database.runs.map((run) => [run.cursor?.id, run.finished?.cursor?.id, run.finished?.error]),
        [
          [undefined, '1', undefined],
          ['1', undefined, 'WordPress refused the application password'],
          ['1', '2', undefined],
        ],
      );
      assert.equal(database.rebalanced(), 3, 'contacts are seated after a failed cycle too');
      await recordHistory(handle, 'wordpress-sync-first-run', handle.firstExecutionRunId);
      await handle.terminate('test over');
    });
  });
});
