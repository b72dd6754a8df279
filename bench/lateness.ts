import { apiClient } from '../test/helpers/api-client';
import { truncateAll } from '../test/helpers/database';
import { eventually } from '../test/helpers/poll';
import { startBenchSystem } from './lib/system';
import { benchPhone, sizeNote, type Bench, type BenchContext } from './lib/context';
import { runConcurrently } from './lib/pool';
import { postMessage } from './lib/post-retrying';
import type { ResultRow } from './lib/results';
import { FULL_SIZES } from './lib/settings';
import { spread, type Spread } from './lib/stats';
import { withTemporal, type TemporalKind } from './lib/temporal-servers';

const CONCURRENCY = 32;
const TARGET_P99_MS = 1_000;

/**
 * N messages scheduled for the same instant (cap lifted): how late each reaches the fake
 * 360Dialog. The instant is BENCH_LATENESS_LEAD_MS ahead, so every POST is in before it.
 */
async function latenessOn(ctx: BenchContext, kind: TemporalKind): Promise<Spread> {
  const { n, leadMs } = ctx.settings.lateness;
  await truncateAll(ctx.shared.database.db);
  const system = await withTemporal(ctx.shared, await ctx.temporal(kind), () =>
    startBenchSystem({ D360_MAX_MESSAGES_PER_SECOND: '10000' }),
  );
  try {
    const api = apiClient(system.baseUrl);
    const dueAt = Date.now() + leadMs;
    const scheduledAt = new Date(dueAt).toISOString();
    const phones = Array.from({ length: n }, (_, i) => benchPhone(3, i));
    const retries = { count: 0 };
    const created = await runConcurrently(
      n,
      CONCURRENCY,
      async (i) =>
        void (await postMessage(
          api,
          { phone_number: phones[i], message: 'On time?', scheduled_at: scheduledAt },
          retries,
        )),
    );
    if (retries.count > 0) console.log(`  [${kind}] ${retries.count} POSTs answered 500/503 and were retried`);
    const spare = dueAt - Date.now();
    if (spare < 0)
      throw new Error(
        `creating ${n} messages took ${Math.round(created.wallMs)} ms, past their time; raise BENCH_LATENESS_LEAD_MS`,
      );
    console.log(
      `  [${kind}] ${n} messages created in ${(created.wallMs / 1000).toFixed(1)} s, ${(spare / 1000).toFixed(1)} s before they are due`,
    );

    const sends = () => system.fake.requests.filter((r) => r.path === '/messages');
    await eventually(() => sends().length >= n, {
      what: `${n} sends at the fake`,
      timeoutMs: leadMs + 300_000,
      intervalMs: 50,
    });
    const lateness = sends().map((r) => r.at - dueAt);
    const early = lateness.filter((l) => l < 0).length;
    if (early > 0) console.log(`  [${kind}] ${early} sends arrived before scheduled_at (timer tolerance)`);
    return spread(lateness);
  } finally {
    await system.stop();
  }
}

const spreadMs = (s: Spread) => `p50 ${Math.round(s.p50)} / p99 ${Math.round(s.p99)} / max ${Math.round(s.max)} ms`;

/**
 * The product on each dev server asked for; then BullMQ: the same N delayed jobs due at one instant, each making the
 * 360Dialog call.
 */
export const latenessBench: Bench = async (ctx) => {
  const { n, leadMs } = ctx.settings.lateness;
  const size = (kind: TemporalKind) =>
    `${sizeNote(n, FULL_SIZES.BENCH_LATENESS_N, 'BENCH_LATENESS_N')} messages due at once, cap lifted, ${kind} dev server`;
  const measured: [TemporalKind, Spread][] = [];
  for (const kind of ctx.settings.temporal) measured.push([kind, await latenessOn(ctx, kind)]);
  const rows: ResultRow[] = measured.map(([kind, s]) => ({
    bench: kind === 'memory' ? 'lateness' : 'lateness (file)',
    size: size(kind),
    result: `p99 ${Math.round(s.p99)} ms late`,
    baseline: `target p99 ${TARGET_P99_MS} ms`,
    ratio: TARGET_P99_MS / Math.max(1, s.p99),
    target: 'p99 <= 1 s',
    met: s.p99 <= TARGET_P99_MS,
    latency: spreadMs(s),
  }));
  if (!ctx.settings.peer) return rows;
  const peer = await (await ctx.peer()).dueAtOnce(n, leadMs);
  const p = spread(peer.at.map((at) => at - peer.dueAt));
  console.log(`  BullMQ: ${spreadMs(p)} late`);
  for (const [kind, s] of measured) {
    rows.push({
      bench: kind === 'memory' ? 'lateness vs BullMQ' : 'lateness (file) vs BullMQ',
      size: size(kind),
      result: `p99 ${Math.round(s.p99)} ms late`,
      baseline: `BullMQ p99 ${Math.round(p.p99)} ms late (${spreadMs(p)})`,
      // Lower is better: BullMQ's p99 over ours, so >= 1 means we are no later.
      ratio: Math.max(1, p.p99) / Math.max(1, s.p99),
      target: `p99 <= BullMQ's and <= ${TARGET_P99_MS} ms`,
      met: s.p99 <= p.p99 && s.p99 <= TARGET_P99_MS,
      latency: spreadMs(s),
    });
  }
  return rows;
};
