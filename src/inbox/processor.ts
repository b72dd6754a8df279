import type { Knex } from 'knex';
import { createOutboxRepository } from '../db/repositories/outbox';
import { createWebhookInboxRepository, INBOUND_MESSAGE } from '../db/repositories/webhook-inbox';
import type { Logger } from '../logger';
import { inboxApplied } from '../metrics/registry';
import { autoReplyStart } from '../temporal/workflow-starts';
import type { InboundEvent, StatusEvent } from '../../workflows/inbound-definitions';
import { applyStatuses } from './apply-statuses';

export const INBOX_BATCH = 500;

/**
 * One pass of the inbox processor, in one transaction: claim the oldest unprocessed events
 * (SKIP LOCKED, so every API process shares them), apply the delivery statuses set-based,
 * queue an `autoReplyWorkflow` start in the outbox for each customer message (and a retry for each
 * first 131049, MARKETING_CAP_RETRY), mark them processed.
 * Either all of that commits or none of it: an event is applied exactly once.
 * `onQueued` wakes this process's outbox dispatcher. Returns true when the batch was full.
 */
export function createInboxPass(
  db: Knex,
  taskQueue: string,
  logger: Logger,
  onQueued: () => void,
  marketingCapRetryMs?: number,
) {
  const inbox = createWebhookInboxRepository(db);

  return async function processInbox(): Promise<boolean> {
    const { count, queued } = await db.transaction(async (trx) => {
      const rows = await inbox.claim(INBOX_BATCH, trx);
      if (rows.length === 0) return { count: 0, queued: 0 };
      const statuses = rows.filter((r) => r.status !== INBOUND_MESSAGE).map((r) => r.event as StatusEvent);
      const messages = rows.filter((r) => r.status === INBOUND_MESSAGE).map((r) => r.event as InboundEvent);
      const outcomes = await applyStatuses(
        statuses,
        trx,
        marketingCapRetryMs ? { retryMs: marketingCapRetryMs, taskQueue } : undefined,
      );
      await createOutboxRepository(trx).enqueueMany(
        messages.map((event) => autoReplyStart(event, taskQueue)),
        trx,
      );
      await inbox.markProcessed(
        rows.map((r) => r.id),
        trx,
      );
      for (const outcome of outcomes) inboxApplied.inc({ kind: 'status', outcome });
      inboxApplied.inc({ kind: 'message', outcome: 'queued' }, messages.length);
      const unknown = outcomes.filter((o) => o === 'unknown_message').length;
      if (unknown > 0) logger.info({ unknown }, 'statuses for messages we do not know; ignored');
      return { count: rows.length, queued: messages.length + outcomes.filter((o) => o === 'deferred').length };
    });
    if (queued > 0) onQueued();
    return count === INBOX_BATCH;
  };
}
