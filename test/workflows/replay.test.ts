import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { HISTORIES_DIR } from '../helpers/record-history';
import { installQuietRuntime, workflowBundle } from '../helpers/workflow-env';

/*
 * Histories recorded from real runs (RECORD_HISTORIES=1 npm run test:workflows) replayed against
 * today's workflow code: a change that would break workflows already running in production
 * (a command added, removed or reordered without a patch) fails here instead of in a worker.
 */
const files = readdirSync(HISTORIES_DIR).filter((name) => name.endsWith('.json'));

describe('replaying recorded workflow histories', () => {
  it('has histories of every long-lived workflow to replay', () => {
    const types = files.map(
      (file) =>
        JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')).events[0]
          .workflowExecutionStartedEventAttributes.workflowType.name,
    );
    assert.deepEqual([...new Set(types)].sort(), [
      'autoReplyWorkflow',
      'broadcastWorkflow',
      'sendMessageWorkflow',
      'sequenceEnrollmentWorkflow',
      'wordpressSyncWorkflow',
    ]);
  });

  for (const file of files) {
    it(`${file} replays without nondeterminism`, async () => {
      installQuietRuntime();
      const history = historyFromJSON(JSON.parse(readFileSync(path.join(HISTORIES_DIR, file), 'utf8')));
      const workflowId = path.basename(file, '.json');
      // runReplayHistory throws DeterminismViolationError (or the workflow's own failure) when the code no longer fits.
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId);
    });
  }
});
