import type { Knex } from 'knex';
import { Gauge, Registry } from 'prom-client';

type Row = { direction: string; kind: string; status: string; n: number };

/**
 * `wa_messages{direction,kind,status}`, counted in Postgres at scrape time, so every API
 * replica reports the same truth (use max(), not sum(), across replicas). A scrape while
 * Postgres is down reports `wa_messages_scrape_ok 0` instead of failing the whole scrape.
 */
export function messageStateRegistry(db: Knex): Registry {
  const registry = new Registry();
  // One query per scrape, shared by both gauges (a registry collects its metrics concurrently).
  let current: Promise<Row[] | undefined> | undefined;
  const counts = () =>
    (current ??= db('messages')
      .select('direction', 'kind', 'status')
      .count({ n: '*' })
      .groupBy('direction', 'kind', 'status')
      .timeout(2_000)
      .then((rows) => rows as unknown as Row[], () => undefined)
      .finally(() => setImmediate(() => (current = undefined))));

  new Gauge({
    name: 'wa_messages',
    help: 'Messages in Postgres by direction, kind (single or broadcast) and state',
    labelNames: ['direction', 'kind', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await counts()) ?? []) this.set({ direction: row.direction, kind: row.kind, status: row.status }, Number(row.n));
    },
  });
  new Gauge({
    name: 'wa_messages_scrape_ok',
    help: '1 when wa_messages could be counted in Postgres at this scrape',
    registers: [registry],
    async collect() {
      this.set((await counts()) ? 1 : 0);
    },
  });
  return registry;
}
