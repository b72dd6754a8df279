import type { Knex } from 'knex';
import type { WebhookBody } from '../providers/d360/webhook-schema';
import { createAccountQualityRepository } from '../db/repositories/account-quality';
import { templatesSyncNowStart } from '../temporal/workflow-starts';
import { qualityUpdates, templateChanges } from '../templates/webhook-events';
import type { OutboxSignal } from './outbox-signals';

/**
 * The webhook changes about the account rather than a message: a template's status or quality
 * changed, so the templates-sync workflow reads the list again (a signal through the outbox; the
 * webhook stays fast); the number's quality or messaging limit changed, so GET /account/ shows it (one upsert).
 */
export function createAccountWebhookService({
  db,
  signal,
  taskQueue,
}: {
  db: Knex;
  signal: OutboxSignal;
  taskQueue: string;
}) {
  const quality = createAccountQualityRepository(db);
  return {
    async dispatch(body: WebhookBody): Promise<void> {
      for (const update of qualityUpdates(body)) await quality.record(update);
      if (templateChanges(body) > 0) await signal(templatesSyncNowStart(taskQueue));
    },
  };
}

export type AccountWebhookService = ReturnType<typeof createAccountWebhookService>;
