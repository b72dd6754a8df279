import Koa from 'koa';
import type { AddressInfo } from 'node:net';
import { truncateAll } from '../test/helpers/database';
import { startSystem } from '../test/helpers/system';
import type { Bench } from './lib/context';
import { runHttpLoad, type LoadResult } from './lib/http-load';
import { perSecond, ratio, spread } from './lib/stats';

const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 250;

/** A bare Koa endpoint answering 200, in this process like the API, for the baseline. */
async function bareKoa(): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = { received: true };
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/360dialog/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const summarise = (load: LoadResult) => ({ rate: load.requests / load.seconds, ...spread(load.latencies), ok: load.statuses['200'] ?? 0 });

/**
 * Inbound webhooks (one customer text each, a new wamid every time) from a second process at
 * POST /webhooks/360dialog/ with the worker running, against a bare Koa endpoint returning 200.
 */
export const webhookBench: Bench = async (ctx) => {
  const { seconds, connections } = ctx.settings.webhook;
  const bare = await bareKoa();
  let baseline: ReturnType<typeof summarise>;
  try {
    baseline = summarise(await runHttpLoad(bare.url, seconds, connections, 5));
  } finally {
    await bare.close();
  }
  await truncateAll(ctx.shared.database.db);
  const system = await startSystem();
  let product: ReturnType<typeof summarise>;
  let load: LoadResult;
  try {
    load = await runHttpLoad(`${system.baseUrl}/webhooks/360dialog/`, seconds, connections, 6);
    product = summarise(load);
  } finally {
    await system.stop();
  }
  const notOk = load.requests - product.ok;
  if (notOk > 0) console.log(`  ${notOk} webhooks were not answered 200: ${JSON.stringify(load.statuses)}, ${load.errors} connection errors`);
  console.log(`  bare Koa: ${perSecond(baseline.rate)}, p50 ${baseline.p50.toFixed(1)} / p99 ${baseline.p99.toFixed(1)} ms`);
  const r = ratio(product.rate, baseline.rate);
  return [
    {
      bench: 'webhook',
      size: `${seconds} s, ${connections} connections`,
      result: `${perSecond(product.rate)} webhooks (${product.ok} answered 200)`,
      baseline: `${perSecond(baseline.rate)} bare Koa`,
      ratio: r,
      target: 'ratio >= 0.5, p99 < 250 ms',
      met: r >= TARGET_RATIO && product.p99 < TARGET_P99_MS && notOk === 0,
      latency: `p50 ${product.p50.toFixed(1)} / p99 ${product.p99.toFixed(1)} ms`,
    },
  ];
};
