import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { unavailable } from '../errors';
import type { Logger } from '../logger';

/** How long a workflow whose outbox start is in flight is waited for: a little over the dispatcher's start deadline. */
const STARTING_WAIT_MS = 6_000;

/**
 * Calls `action` on a workflow that exists, or is about to: while its outbox start is in flight
 * (`starting`), "not found" means "not yet", so it is tried again until the start lands.
 */
export async function onceStarted<T>(starting: boolean, action: () => Promise<T>): Promise<T> {
  const until = Date.now() + STARTING_WAIT_MS;
  for (;;) {
    try {
      return await action();
    } catch (err) {
      if (!(starting && err instanceof WorkflowNotFoundError)) throw err;
      // The start did not land in time: Temporal is not answering it.
      if (Date.now() >= until)
        throw unavailable('temporal_unavailable', 'the Temporal server is unreachable; try again shortly');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Cancels the workflow of a row that is already marked cancelled. The row alone stops any
 * send (the workflow's claim finds it cancelled); this ends the timer and tidies the Web UI,
 * so a failure here is only logged.
 */
export async function cancelWaitingWorkflow(
  temporal: Client,
  workflowId: string,
  logger: Logger,
  starting = false,
): Promise<void> {
  try {
    await onceStarted(starting, () => temporal.workflow.getHandle(workflowId).cancel());
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError) || starting)
      logger.warn({ err, workflowId }, 'cancelled in the database; the workflow will end at its due time');
  }
}
