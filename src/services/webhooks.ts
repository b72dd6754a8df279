import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { PHONE_NUMBER_KEY } from '../../workflows/definitions';
import { deliveryWorkflowId, inboundWorkflowId, type InboundEvent, type StatusEvent } from '../../workflows/inbound-definitions';
import { ignoredCount, type WebhookEvents } from '../types/webhook-events';
import type { Logger } from '../logger';

export interface WebhookServiceDeps {
  temporal: Client;
  taskQueue: string;
  logger: Logger;
}

/**
 * Hands each webhook event to Temporal and nothing more, so the webhook answers fast.
 * The workflow id is the event's business key and a duplicate start is rejected, so
 * 360Dialog's retries (sequential or concurrent) become no-ops here.
 */
export function createWebhookService({ temporal, taskQueue, logger }: WebhookServiceDeps) {
  async function startOnce(workflowType: string, workflowId: string, arg: unknown, phone?: string): Promise<boolean> {
    try {
      await temporal.workflow.start(workflowType, {
        workflowId,
        taskQueue,
        args: [arg],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        workflowIdConflictPolicy: 'FAIL',
        ...(phone ? { typedSearchAttributes: [{ key: PHONE_NUMBER_KEY, value: phone }] } : {}),
      });
      return true;
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        logger.debug({ workflowId }, 'duplicate webhook event ignored');
        return false;
      }
      throw err;
    }
  }

  const startInbound = (event: InboundEvent) => startOnce('autoReply', inboundWorkflowId(event.wamid), event, event.fromWaId ? `+${event.fromWaId}` : undefined);
  const startStatus = (event: StatusEvent) => startOnce('deliveryStatus', deliveryWorkflowId(event), event);

  return {
    /** Resolves once every event is durably in Temporal; throws (-> 503, retried by 360Dialog) otherwise. */
    async dispatch(events: WebhookEvents): Promise<void> {
      await Promise.all([...events.messages.map(startInbound), ...events.statuses.map(startStatus)]);
      // Counts, not the entries: a sender controls their content, and the log is no place for it.
      if (ignoredCount(events) > 0) logger.info({ ignored: events.ignored }, 'webhook entries accepted but not acted on');
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
