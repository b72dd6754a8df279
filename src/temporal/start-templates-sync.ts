import { Client, type ConnectionLike } from '@temporalio/client';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { templatesSyncWorkflowId, TEMPLATES_SYNC_WORKFLOW_TYPE } from '../../workflows/templates-sync-definitions';

const startOptions = (taskQueue: string, intervalMs?: number) => ({
  workflowId: templatesSyncWorkflowId(taskQueue),
  taskQueue,
  args: [{ syncRequested: true, intervalMs }] as [object],
});

/** Every worker calls this at start-up: the first starts the sync, the others find it running. */
export async function ensureTemplatesSync(connection: ConnectionLike, config: Config, logger: Logger): Promise<void> {
  const intervalMs = config.rules.templateSyncIntervalMs;
  if (!intervalMs || !config.d360.apiKey) return;
  const client = new Client({ connection, namespace: config.temporal.namespace });
  await client.workflow.start(TEMPLATES_SYNC_WORKFLOW_TYPE, {
    ...startOptions(config.temporal.taskQueue, intervalMs),
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  logger.info(
    { workflowId: templatesSyncWorkflowId(config.temporal.taskQueue), every: intervalMs / 1000 },
    'template sync started',
  );
}
