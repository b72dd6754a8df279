import type { Client } from '@temporalio/client';
import type { WorkflowStart } from '../temporal/workflow-starts';

/** Starts what a WorkflowStart describes (signalWithStart when it carries a signal). Throws
 * WorkflowExecutionAlreadyStartedError as the SDK does. */
export async function startWorkflowFrom(temporal: Client, start: WorkflowStart): Promise<void> {
  const options = {
    workflowId: start.workflowId,
    taskQueue: start.taskQueue,
    args: start.args,
    ...(start.memo ? { memo: start.memo } : {}),
    ...(start.searchAttributes ? { typedSearchAttributes: start.searchAttributes } : {}),
    workflowIdReusePolicy: start.reusePolicy,
  };
  if (start.signal) {
    await temporal.workflow.signalWithStart(start.workflowType, {
      ...options,
      signal: start.signal,
      signalArgs: start.signalArgs ?? [],
    });
    return;
  }
  await temporal.workflow.start(start.workflowType, { ...options, workflowIdConflictPolicy: 'FAIL' });
}
