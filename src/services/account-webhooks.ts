import type { Client } from '@temporalio/client';
import type { WebhookBody } from '../api/webhooks/schemas';
import { requestTemplatesSync } from '../temporal/start-templates-sync';
import { templateChanges } from '../templates/webhook-events';

/**
 * The webhook changes about the account rather than a message: a template's status or quality
 * changed, so the templates-sync workflow reads the list again (a signal; the webhook stays fast).
 */
export function createAccountWebhookService({ temporal, taskQueue }: { temporal: Client; taskQueue: string }) {
  return {
    async dispatch(body: WebhookBody): Promise<void> {
      if (templateChanges(body) > 0) await requestTemplatesSync(temporal, taskQueue);
    },
  };
}

export type AccountWebhookService = ReturnType<typeof createAccountWebhookService>;
