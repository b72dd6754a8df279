import type { SyncNowRequest } from '../../workflows/wordpress-sync-definitions';
import { wordpressSyncNowStart } from '../temporal/workflow-starts';
import type { OutboxSignal } from './outbox-signals';

/**
 * POST /contacts/sync/: the "sync now" is committed to the outbox and the dispatcher signals (or
 * starts) the sync workflow, so a request answered while Temporal is away still runs once it is back.
 */
export function createSyncRequests({ signal, taskQueue }: { signal: OutboxSignal; taskQueue: string }) {
  return {
    request: (request: SyncNowRequest) => signal(wordpressSyncNowStart(request, taskQueue)),
  };
}

export type SyncRequests = ReturnType<typeof createSyncRequests>;
