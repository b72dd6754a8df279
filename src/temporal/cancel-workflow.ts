import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Logger } from '../logger';

/**
 * Cancels the workflow of a row that is already marked cancelled. The row alone stops any
 * send (the workflow's claim finds it cancelled); this ends the timer and tidies the Web UI,
 * so a failure here is only logged.
 */
export async function cancelWaitingWorkflow(temporal: Client, workflowId: string, logger: Logger): Promise<void> {
  try {
    await temporal.workflow.getHandle(workflowId).cancel();
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) logger.warn({ err, workflowId }, 'cancelled in the database; the workflow will end at its due time');
  }
}
