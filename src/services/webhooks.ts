import { ignoredCount, type WebhookEvents } from '../types/webhook-events';
import type { InboxEvent } from '../db/repositories/webhook-inbox';
import type { InboxBatcher } from '../inbox/batcher';
import type { Logger } from '../logger';

export interface WebhookServiceDeps {
  inbox: InboxBatcher;
  logger: Logger;
}

// Postgres text and jsonb hold neither NUL nor a lone UTF-16 surrogate; one in a webhook must not cost the events
// around it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const storable = (text: string) => text.replace(/\u0000/g, '').replace(LONE_SURROGATE, '\ufffd');
const storableJson = <T>(value: T): T =>
  JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? storable(v) : v)));

/**
 * Stores each webhook event in the inbox and nothing more, so the webhook answers on one
 * commit shared with the requests arriving at the same time (src/inbox/batcher.ts). The
 * inbox keeps each (wamid, status) once, so 360Dialog's retries (sequential or concurrent)
 * are dropped there; the inbox processor applies statuses and queues auto-replies.
 */
export function createWebhookService({ inbox, logger }: WebhookServiceDeps) {
  return {
    /** Resolves once every event is committed in Postgres; throws (-> 503, retried by 360Dialog) otherwise. */
    async dispatch(events: WebhookEvents): Promise<void> {
      const stored: InboxEvent[] = [
        ...events.messages.map((event) => ({ kind: 'message' as const, event: storableJson(event) })),
        ...events.statuses.map((event) => ({ kind: 'status' as const, event: storableJson(event) })),
      ];
      await inbox.add(stored);
      // Counts, not the entries: a sender controls their content, and the log is no place for it.
      if (ignoredCount(events) > 0)
        logger.info({ ignored: events.ignored }, 'webhook entries accepted but not acted on');
    },
  };
}

export type WebhookService = ReturnType<typeof createWebhookService>;
