import { apiClient } from '../test/helpers/api-client';
import { truncateAll } from '../test/helpers/database';
import type { TestSystem } from '../test/helpers/system';
import { startBenchSystem } from './lib/system';
import { benchPhone, sizeNote, type Bench, type BenchContext } from './lib/context';
import { runConcurrently } from './lib/pool';
import { postMessage } from './lib/post-retrying';
import { startWidePoolApi } from './lib/wide-pool-api';
import { scheduleBreakdown } from './lib/schedule-probes';
import { perSecond, ratio, spread, spreadText } from './lib/stats';
import { FULL_SIZES } from './lib/settings';
import type { ResultRow } from './lib/results';
import { withTemporal, type TemporalKind } from './lib/temporal-servers';
import { missingWorkflows, whenCountReaches } from './lib/temporal-count';

const FAR_FUTURE_MS = 30 * 86_400_000;
const WARMUP = 50;
const TARGET_BARE_RATIO = 2;
const TARGET_PEER_RATIO = 0.25;
const TARGET_P99_MS = 100;
const EXIST_FACTOR = 1.2;

interface Measured {
  rows: ResultRow[];
  rate: number;
  p99: number;
}

/**
 * POST /whatsapp/ with a future scheduled_at from 32 clients, against bare client.workflow.start
 * of a one-timer workflow on the same server (run before and after the product and averaged, so
 * drift weighs on both alike). Accepted is not started: the clock for "every workflow exists"
 * runs from the first POST until Temporal's visibility counts them all (then each is described).
 */
async function scheduleOn(ctx: BenchContext, kind: TemporalKind): Promise<Measured> {
  const { n, concurrency } = ctx.settings.schedule;
  const server = await ctx.temporal(kind);
  const label = kind === 'memory' ? 'schedule' : 'schedule (file)';
  await truncateAll(ctx.shared.database.db);
  const system = await withTemporal(ctx.shared, server, () => startBenchSystem());
  const baseline = await ctx.baseline(server);
  const api = apiClient(system.baseUrl);
  const scheduledAt = new Date(Date.now() + FAR_FUTURE_MS).toISOString();
  const run = Date.now().toString(36);
  const ours = `TaskQueue = '${system.config.temporal.taskQueue}'`;
  try {
    const workflowIds: string[] = [];
    const retries = { count: 0 };
    const post = (series: number) => async (i: number) => {
      const res = await postMessage(
        api,
        { phone_number: benchPhone(series, i), message: 'Benchmark', scheduled_at: scheduledAt },
        retries,
      );
      if (series === 2) workflowIds.push(res.body.workflow_id);
    };
    const start = (tag: string) => async (i: number) => {
      await baseline.client.workflow.start('benchWait', {
        taskQueue: baseline.taskQueue,
        workflowId: `bench-wait-${run}-${tag}-${i}`,
        args: [FAR_FUTURE_MS],
      });
    };
    await runConcurrently(WARMUP, concurrency, post(1));
    await runConcurrently(WARMUP, concurrency, start('warmup'));
    await whenCountReaches(system.temporal, ours, WARMUP, 120_000);

    const before = await runConcurrently(n, concurrency, start('a'));
    const firstPost = Date.now();
    const product = await runConcurrently(n, concurrency, post(2));
    const allExistAt = await whenCountReaches(system.temporal, ours, WARMUP + n, 600_000);
    const after = await runConcurrently(n, concurrency, start('b'));
    if (retries.count > 0)
      console.log(
        `  [${kind}] ${retries.count} POSTs answered 500/503 and were retried (their latency includes the retries)`,
      );
    const missing = await missingWorkflows(system.temporal, workflowIds);
    if (missing.length > 0)
      throw new Error(`${missing.length} accepted messages have no workflow, e.g. ${missing.slice(0, 3).join(', ')}`);

    if (process.env.BENCH_SCHEDULE_PROBES === 'on') await probes(ctx, system, n, concurrency, scheduledAt);

    const rate = (n / product.wallMs) * 1000;
    const bareRate = ((2 * n) / (before.wallMs + after.wallMs)) * 1000;
    const latency = spread(product.latencies);
    const bareLatency = spread([...before.latencies, ...after.latencies]);
    console.log(
      `  [${kind}] bare start before ${perSecond((n / before.wallMs) * 1000)}, after ${perSecond((n / after.wallMs) * 1000)}; bare start latency ${spreadText(bareLatency)}`,
    );
    const r = ratio(rate, bareRate);
    const existSeconds = (allExistAt - firstPost) / 1000;
    const allowedSeconds = (EXIST_FACTOR * n) / bareRate;
    const size = `${sizeNote(n, FULL_SIZES.BENCH_SCHEDULE_N, 'BENCH_SCHEDULE_N')} POSTs, ${concurrency} clients, ${kind} dev server`;
    return {
      rate,
      p99: latency.p99,
      rows: [
        {
          bench: label,
          size,
          result: `${perSecond(rate)} accepted`,
          baseline: `${perSecond(bareRate)} workflow.start (p50 ${bareLatency.p50.toFixed(1)} / p99 ${bareLatency.p99.toFixed(1)} ms)`,
          ratio: r,
          target: `ratio >= ${TARGET_BARE_RATIO}, p99 <= ${TARGET_P99_MS} ms`,
          met: r >= TARGET_BARE_RATIO && latency.p99 <= TARGET_P99_MS,
          latency: `p50 ${latency.p50.toFixed(1)} / p99 ${latency.p99.toFixed(1)} ms`,
        },
        {
          bench: `${label} exist`,
          size,
          result: `every workflow exists ${existSeconds.toFixed(1)} s after the first POST (answers took ${(product.wallMs / 1000).toFixed(1)} s)`,
          baseline: `${EXIST_FACTOR} x ${n} / bare start rate = ${allowedSeconds.toFixed(1)} s`,
          ratio: allowedSeconds / existSeconds,
          target: `<= ${EXIST_FACTOR} x (N / bare start rate)`,
          met: existSeconds <= allowedSeconds,
        },
      ],
    };
  } finally {
    await system.stop();
  }
}

/** Issue 5's probes of what bounds a POST: a pool as wide as the clients, then each part of a POST alone. */
async function probes(ctx: BenchContext, system: TestSystem, n: number, concurrency: number, scheduledAt: string) {
  const probeN = Math.ceil(n / 2);
  const wide = await startWidePoolApi(system, ctx.shared.database.url, concurrency);
  const wideApi = apiClient(wide.baseUrl);
  const wideRun = await runConcurrently(probeN, concurrency, async (i) => {
    const res = await wideApi.post('/whatsapp/', {
      phone_number: benchPhone(4, i),
      message: 'Benchmark',
      scheduled_at: scheduledAt,
    });
    if (res.status !== 201)
      throw new Error(`POST /whatsapp/ (wide pool) answered ${res.status}: ${JSON.stringify(res.body)}`);
  }).finally(() => wide.stop());
  const wideLatency = spread(wideRun.latencies);
  console.log(
    `  probe: ${probeN} POSTs with a ${concurrency}-connection pool: ${perSecond((probeN / wideRun.wallMs) * 1000)}, p50 ${wideLatency.p50.toFixed(1)} / p99 ${wideLatency.p99.toFixed(1)} ms`,
  );
  for (const line of await scheduleBreakdown(system, probeN, concurrency, FAR_FUTURE_MS))
    console.log(`  probe: ${line}`);
}

/** The product on each dev server asked for, then BullMQ's delayed adds by as many producers. */
export const scheduleBench: Bench = async (ctx) => {
  const { n, concurrency } = ctx.settings.schedule;
  const measured: [TemporalKind, Measured][] = [];
  for (const kind of ctx.settings.temporal) measured.push([kind, await scheduleOn(ctx, kind)]);
  const rows = measured.flatMap(([, m]) => m.rows);
  if (!ctx.settings.peer) return rows;
  const peer = await (await ctx.peer()).schedule(n, concurrency);
  const peerRate = (n / peer.wallMs) * 1000;
  const peerLatency = spread(peer.latencies);
  for (const [kind, m] of measured) {
    const r = ratio(m.rate, peerRate);
    rows.push({
      bench: kind === 'memory' ? 'schedule vs BullMQ' : 'schedule (file) vs BullMQ',
      size: `${n.toLocaleString('en-US')} delayed adds, ${concurrency} producers, Redis appendfsync always`,
      result: `${perSecond(m.rate)} accepted (p99 ${m.p99.toFixed(1)} ms)`,
      baseline: `${perSecond(peerRate)} BullMQ adds (p50 ${peerLatency.p50.toFixed(1)} / p99 ${peerLatency.p99.toFixed(1)} ms)`,
      ratio: r,
      target: `ratio >= ${TARGET_PEER_RATIO}`,
      met: r >= TARGET_PEER_RATIO,
    });
  }
  return rows;
};
