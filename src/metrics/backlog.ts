import type { Knex } from 'knex';
import { Gauge, Registry } from 'prom-client';
import { createOutboxRepository, type Backlog } from '../db/repositories/outbox';
import { createWebhookInboxRepository } from '../db/repositories/webhook-inbox';

export interface Backlogs {
  outbox: Backlog;
  inbox: Backlog;
}

/** Both queues' depth and oldest age, read from Postgres (one round trip each). */
export async function readBacklogs(db: Knex): Promise<Backlogs> {
  const [outbox, inbox] = await Promise.all([
    createOutboxRepository(db).backlog(),
    createWebhookInboxRepository(db).backlog(),
  ]);
  return { outbox, inbox };
}

/**
 * `wa_outbox_depth`, `wa_outbox_oldest_age_seconds`, `wa_inbox_depth`, `wa_inbox_oldest_age_seconds`:
 * what is committed but not yet started in Temporal (outbox) or not yet applied (inbox). Read in
 * Postgres at scrape time, so every replica reports the same (use max() across replicas).
 */
export function backlogRegistry(db: Knex): Registry {
  const registry = new Registry();
  let current: Promise<Backlogs | undefined> | undefined;
  const read = () =>
    (current ??= readBacklogs(db)
      .then(
        (b) => b,
        () => undefined,
      )
      .finally(() => setImmediate(() => (current = undefined))));
  const gauge = (name: string, help: string, pick: (b: Backlogs) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const backlogs = await read();
        if (backlogs) this.set(pick(backlogs));
      },
    });
  gauge('wa_outbox_depth', 'Workflow starts committed in Postgres and not yet made in Temporal', (b) => b.outbox.depth);
  gauge(
    'wa_outbox_oldest_age_seconds',
    'Age of the oldest workflow start still waiting in the outbox (0 when empty)',
    (b) => b.outbox.oldestAgeSeconds,
  );
  gauge('wa_inbox_depth', 'Webhook events committed and not yet applied', (b) => b.inbox.depth);
  gauge(
    'wa_inbox_oldest_age_seconds',
    'Age of the oldest webhook event not yet applied (0 when empty)',
    (b) => b.inbox.oldestAgeSeconds,
  );
  return registry;
}
