import { Client, WorkflowNotFoundError, type ConnectionLike } from '@temporalio/client';
import type { Config } from '../config';
import type { Logger } from '../logger';
import {
  workerStartedSignal,
  WORDPRESS_SYNC_WORKFLOW_ID,
  WORDPRESS_SYNC_WORKFLOW_TYPE,
} from '../../workflows/wordpress-sync-definitions';

const startOptions = (taskQueue: string) => ({
  workflowId: WORDPRESS_SYNC_WORKFLOW_ID,
  taskQueue,
  args: [{ syncRequested: true }] as [object],
});

/**
 * Starts the sync workflow unless it already runs: every worker calls this at start-up,
 * and whichever comes first wins; the others find it running and leave it alone.
 */
export async function ensureWordPressSync(connection: ConnectionLike, config: Config, logger: Logger): Promise<void> {
  if (!config.wordpress) return;
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const { taskQueue } = config.temporal;
  const handle = client.workflow.getHandle(WORDPRESS_SYNC_WORKFLOW_ID);
  const running = await handle.describe().then(
    (d) => (d.status.name === 'RUNNING' ? d : undefined),
    (err) => {
      if (err instanceof WorkflowNotFoundError) return undefined;
      throw err;
    },
  );
  if (running && running.taskQueue !== taskQueue) {
    logger.warn(
      { workflowId: WORDPRESS_SYNC_WORKFLOW_ID, runningOn: running.taskQueue, taskQueue },
      `the WordPress sync runs on task queue ${running.taskQueue}, not ${taskQueue}; terminate it (temporal workflow terminate --workflow-id ${WORDPRESS_SYNC_WORKFLOW_ID}) to move it`,
    );
    return;
  }
  if (running) {
    // The README promises a cycle when the worker starts; a sync asleep until its interval would wait a full one.
    await handle.signal(workerStartedSignal);
    return;
  }
  await client.workflow.start(WORDPRESS_SYNC_WORKFLOW_TYPE, {
    ...startOptions(taskQueue),
    workflowIdConflictPolicy: 'USE_EXISTING',
  });
  logger.info(
    {
      workflowId: WORDPRESS_SYNC_WORKFLOW_ID,
      every: config.wordpress.intervalMs / 1000,
      preset: config.wordpress.preset,
    },
    'WordPress sync started',
  );
}
