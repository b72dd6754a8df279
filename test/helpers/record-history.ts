import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { temporalCliSettings } from '../../src/config';
import { ensureTemporalCli } from '../../src/runtime/temporal-cli';
import { workflowEnvironment } from './workflow-env';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'workflows', 'histories');

/**
 * `RECORD_HISTORIES=1 npm run test:workflows` writes the history of each named run to
 * test/workflows/histories/<name>.json, which the replay test then replays against the
 * current workflow code. Record again only when a change is meant to break running workflows.
 * The CLI writes the JSON: the SDK's historyToJSON trips over two copies of protobufjs here.
 */
export async function recordHistory(handle: WorkflowHandle, name: string, runId?: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const { address } = await workflowEnvironment();
  const cli = ensureTemporalCli(temporalCliSettings().cliPath);
  const json = execFileSync(
    cli,
    [
      'workflow',
      'show',
      '--address',
      address,
      '--workflow-id',
      handle.workflowId,
      ...(runId ? ['--run-id', runId] : []),
      '--output',
      'json',
    ],
    { encoding: 'utf8' },
  );
  writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), json);
}
