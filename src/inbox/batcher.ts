import type { Knex } from 'knex';
import { createWebhookInboxRepository, type InboxEvent } from '../db/repositories/webhook-inbox';

/** Events per INSERT; a bigger backlog waits for the next flush. */
const MAX_EVENTS_PER_FLUSH = 2_000;
/** Flushes at once; more requests wait and join the next one (that is the batching). */
const MAX_FLUSHES = 4;

interface Waiting {
  events: InboxEvent[];
  resolve(): void;
  reject(err: unknown): void;
}

const isDataError = (err: unknown) => /^22/.test(String((err as { code?: string }).code ?? ''));

/**
 * Group commit for the webhook: requests arriving together are written by one INSERT (one
 * commit, one fsync) on the next tick, and each answers once that commit is done. A flush
 * that Postgres refuses for bad data is split per request, so one hostile body fails alone.
 */
export function createInboxBatcher(db: Knex, onStored: () => void) {
  const inbox = createWebhookInboxRepository(db);
  let queue: Waiting[] = [];
  let flushing = 0;
  let scheduled = false;

  async function write(batch: Waiting[]): Promise<void> {
    try {
      await inbox.insert(batch.flatMap((w) => w.events));
      for (const w of batch) w.resolve();
    } catch (err) {
      if (batch.length > 1 && isDataError(err)) {
        await Promise.all(batch.map((w) => write([w])));
        return;
      }
      for (const w of batch) w.reject(err);
    }
  }

  function take(): Waiting[] {
    const batch: Waiting[] = [];
    let events = 0;
    while (queue.length > 0 && (batch.length === 0 || events + queue[0].events.length <= MAX_EVENTS_PER_FLUSH)) {
      const next = queue.shift() as Waiting;
      events += next.events.length;
      batch.push(next);
    }
    return batch;
  }

  function schedule(): void {
    if (scheduled || flushing >= MAX_FLUSHES || queue.length === 0) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      const batch = take();
      if (batch.length === 0) return;
      flushing++;
      void write(batch).finally(() => {
        flushing--;
        onStored();
        schedule();
      });
      schedule();
    });
  }

  return {
    /** Resolves once these events are committed (or were already stored); rejects as Postgres did. */
    add(events: InboxEvent[]): Promise<void> {
      if (events.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        queue.push({ events, resolve, reject });
        schedule();
      });
    },
    /** Requests still waiting for their commit (for shutdown). */
    get pending(): number {
      return queue.length + flushing;
    },
    clear(): void {
      queue = [];
    },
  };
}

export type InboxBatcher = ReturnType<typeof createInboxBatcher>;
