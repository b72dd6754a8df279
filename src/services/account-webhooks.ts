import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { WebhookBody } from '../api/webhooks/schemas';
import { createAccountQualityRepository } from '../db/repositories/account-quality';
import { requestTemplatesSync } from '../temporal/start-templates-sync';
import { qualityUpdates, templateChanges } from '../templates/webhook-events';

/**
 * The webhook changes about the account rather than a message: a template's status or quality
 * changed, so the templates-sync workflow reads the list again (a signal; the webhook stays
 * fast); the number's quality or messaging limit changed, so GET /account/ shows it (one upsert).
 */
export function createAccountWebhookService({ db, temporal, taskQueue }: { db: Knex; temporal: Client; taskQueue: string }) {
  const quality = createAccountQualityRepository(db);
  return {
    async dispatch(body: WebhookBody): Promise<void> {
      for (const update of qualityUpdates(body)) await quality.record(update);
      if (templateChanges(body) > 0) await requestTemplatesSync(temporal, taskQueue);
    },
  };
}

export type AccountWebhookService = ReturnType<typeof createAccountWebhookService>;
