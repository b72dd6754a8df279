import type { Knex } from 'knex';
import { Gauge, Registry } from 'prom-client';
import { countMessagesByState, type MessageStateCount } from '../db/repositories/message-counts';

/** Counting every message is a scan of the whole table: at most once per this long, whatever the scrape rate. */
export const MESSAGE_COUNT_INTERVAL_MS = 30_000;

/**
 * `wa_messages{direction,kind,status}`, counted in Postgres, so every API replica reports the
 * same truth (use max(), not sum(), across replicas). The count is a snapshot taken at most once
 * per MESSAGE_COUNT_INTERVAL_MS: a scrape (or a flood of them, /metrics being reachable) reads
 * the last snapshot and at most starts one refresh in the background; only the very first
 * scrape waits for a count. `wa_messages_age_seconds` says how old the snapshot is;
 * `wa_messages_scrape_ok 0` when the last count failed (Postgres down).
 */
export function messageStateRegistry(db: Knex, intervalMs = MESSAGE_COUNT_INTERVAL_MS): Registry {
  const registry = new Registry();
  let snapshot: { rows?: MessageStateCount[]; ok: boolean; at: number } | undefined;
  let refreshing: Promise<void> | undefined;
  let lastStarted = -Infinity;

  const refresh = () =>
    (refreshing ??= countMessagesByState(db, 2_000)
      .then(
        (rows) => void (snapshot = { rows, ok: true, at: Date.now() }),
        () => void (snapshot = { rows: snapshot?.rows, ok: false, at: snapshot?.at ?? Date.now() }),
      )
      .finally(() => (refreshing = undefined)));

  const current = async () => {
    if (performance.now() - lastStarted >= intervalMs) {
      lastStarted = performance.now();
      const running = refresh();
      if (!snapshot) await running;
    } else if (!snapshot) {
      await refreshing;
    }
    return snapshot;
  };

  new Gauge({
    name: 'wa_messages',
    help: 'Messages in Postgres by direction, kind (single or broadcast) and state (a snapshot, see wa_messages_age_seconds)',
    labelNames: ['direction', 'kind', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of (await current())?.rows ?? [])
        this.set({ direction: row.direction, kind: row.kind, status: row.status }, row.n);
    },
  });
  new Gauge({
    name: 'wa_messages_scrape_ok',
    help: '1 when the last count of wa_messages in Postgres succeeded',
    registers: [registry],
    async collect() {
      this.set((await current())?.ok ? 1 : 0);
    },
  });
  new Gauge({
    name: 'wa_messages_age_seconds',
    help: 'Age of the wa_messages snapshot',
    registers: [registry],
    async collect() {
      const taken = (await current())?.at;
      this.set(taken === undefined ? 0 : (Date.now() - taken) / 1000);
    },
  });
  return registry;
}
