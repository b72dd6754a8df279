import { apiClient } from '../test/helpers/api-client';
import { truncateAll } from '../test/helpers/database';
import { startSystem } from '../test/helpers/system';
import { benchPhone, sizeNote, type Bench } from './lib/context';
import { runConcurrently } from './lib/pool';
import { startWidePoolApi } from './lib/wide-pool-api';
import { scheduleBreakdown } from './lib/schedule-probes';
import { perSecond, ratio, spread, spreadText } from './lib/stats';
import { FULL_SIZES } from './lib/settings';

const FAR_FUTURE_MS = 30 * 86_400_000;
const WARMUP = 50;

/**
 * POST /whatsapp/ with a future scheduled_at from 32 clients (row + workflow start + first
 * workflow task) against bare client.workflow.start of a one-timer workflow on the same server.
 * The baseline runs before and after the product and is averaged, so drift (a growing dev
 * server database, other load on the machine) weighs on both sides alike.
 */
export const scheduleBench: Bench = async (ctx) => {
  const { n, concurrency } = ctx.settings.schedule;
  await truncateAll(ctx.shared.database.db);
  const system = await startSystem();
  const baseline = await ctx.baseline();
  const api = apiClient(system.baseUrl);
  const scheduledAt = new Date(Date.now() + FAR_FUTURE_MS).toISOString();
  const run = Date.now().toString(36);
  try {
    const post = (series: number) => async (i: number) => {
      const res = await api.post('/whatsapp/', { phone_number: benchPhone(series, i), message: 'Benchmark', scheduled_at: scheduledAt });
      if (res.status !== 201) throw new Error(`POST /whatsapp/ answered ${res.status}: ${JSON.stringify(res.body)}`);
    };
    const start = (label: string) => async (i: number) => {
      await baseline.client.workflow.start('benchWait', { taskQueue: baseline.taskQueue, workflowId: `bench-wait-${run}-${label}-${i}`, args: [FAR_FUTURE_MS] });
    };
    await runConcurrently(WARMUP, concurrency, post(1));
    await runConcurrently(WARMUP, concurrency, start('warmup'));

    const before = await runConcurrently(n, concurrency, start('a'));
    const product = await runConcurrently(n, concurrency, post(2));
    const after = await runConcurrently(n, concurrency, start('b'));

    // Probe: the same POSTs through an API whose pool has as many connections as there are clients.
    const probeN = Math.ceil(n / 2);
    const wide = await startWidePoolApi(system, ctx.shared.database.url, concurrency);
    const wideApi = apiClient(wide.baseUrl);
    const widePost = async (i: number) => {
      const res = await wideApi.post('/whatsapp/', { phone_number: benchPhone(4, i), message: 'Benchmark', scheduled_at: scheduledAt });
      if (res.status !== 201) throw new Error(`POST /whatsapp/ (wide pool) answered ${res.status}: ${JSON.stringify(res.body)}`);
    };
    const wideRun = await runConcurrently(probeN, concurrency, widePost).finally(() => wide.stop());
    const wideLatency = spread(wideRun.latencies);
    console.log(`  probe: ${probeN} POSTs with a ${concurrency}-connection pool instead of 10: ${perSecond((probeN / wideRun.wallMs) * 1000)}, p50 ${wideLatency.p50.toFixed(1)} / p99 ${wideLatency.p99.toFixed(1)} ms`);

    for (const line of await scheduleBreakdown(system, probeN, concurrency, FAR_FUTURE_MS)) console.log(`  probe: ${line}`);

    const productRate = (n / product.wallMs) * 1000;
    const baselineRate = ((2 * n) / (before.wallMs + after.wallMs)) * 1000;
    const productLatency = spread(product.latencies);
    const baselineLatency = spread([...before.latencies, ...after.latencies]);
    console.log(`  baseline before ${perSecond((n / before.wallMs) * 1000)}, after ${perSecond((n / after.wallMs) * 1000)}; baseline latency ${spreadText(baselineLatency)}`);
    const r = ratio(productRate, baselineRate);
    return [
      {
        bench: 'schedule',
        size: `${sizeNote(n, FULL_SIZES.BENCH_SCHEDULE_N, 'BENCH_SCHEDULE_N')} POSTs, ${concurrency} clients`,
        result: `${perSecond(productRate)} accepted`,
        baseline: `${perSecond(baselineRate)} workflow.start (p50 ${baselineLatency.p50.toFixed(1)} / p99 ${baselineLatency.p99.toFixed(1)} ms)`,
        ratio: r,
        target: 'ratio >= 0.8',
        met: r >= 0.8,
        latency: `p50 ${productLatency.p50.toFixed(1)} / p99 ${productLatency.p99.toFixed(1)} ms`,
      },
    ];
  } finally {
    await system.stop();
  }
};
