import type { Knex } from 'knex';
import type { SyncNowRequest } from '../../workflows/wordpress-sync-definitions';
import { createOutboxRepository } from '../db/repositories/outbox';
import { wordpressSyncNowStart } from '../temporal/workflow-starts';

/**
 * POST /contacts/sync/: the "sync now" is committed to the outbox and the dispatcher signals (or
 * starts) the sync workflow, so a request answered while Temporal is away still runs once it is back.
 */
export function createSyncRequests({ db, taskQueue, wakeOutbox }: { db: Knex; taskQueue: string; wakeOutbox: () => void }) {
  const outbox = createOutboxRepository(db);
  return {
    async request(request: SyncNowRequest): Promise<void> {
      await outbox.enqueueSignal(wordpressSyncNowStart(request, taskQueue));
      wakeOutbox();
    },
  };
}

export type SyncRequests = ReturnType<typeof createSyncRequests>;
