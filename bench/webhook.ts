import type { AddressInfo } from 'node:net';
import parse from 'co-body';
import Koa from 'koa';
import { createDb } from '../src/db/knex';
import { truncateAll } from '../test/helpers/database';
import { eventually } from '../test/helpers/poll';
import type { TestSystem } from '../test/helpers/system';
import { startBenchSystem } from './lib/system';
import { countExecutions } from './lib/temporal-count';
import type { Bench } from './lib/context';
import { runHttpLoad, type LoadResult } from './lib/http-load';
import { perSecond, ratio, spread } from './lib/stats';

const TARGET_RATIO = 0.5;
const TARGET_P99_MS = 50;
const BARE_TABLE = 'bench_webhook_bodies';

/**
 * A bare Koa endpoint in this process like the API, for the baseline: with `insert`, it reads
 * the JSON body and INSERTs it into Postgres through a pool built like the API's (one
 * statement, autocommit) before answering 200; without, it answers 200 at once.
 */
async function bareKoa(insert?: (body: unknown) => Promise<void>): Promise<{ url: string; close(): Promise<void> }> {
  const app = new Koa();
  app.use(async (ctx) => {
    if (insert) await insert(await parse.json(ctx.req, { limit: '1mb' }));
    ctx.body = { received: true };
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/360dialog/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Waits until every event answered 200 has run its auto-reply workflow, so the next benchmark starts on an idle
 * Temporal server, and says how long that took after the load ended.
 */
async function reportDrain(system: TestSystem, events: number): Promise<void> {
  const endedAt = Date.now();
  const running = `TaskQueue = '${system.config.temporal.taskQueue}' AND ExecutionStatus = 'Running'`;
  await eventually(
    async () =>
      (await system.db('workflow_outbox').count({ n: '*' }))[0].n === 0 &&
      (await countExecutions(system.temporal, running)) === 0,
    { timeoutMs: 300_000, intervalMs: 500, what: 'every auto-reply workflow to finish' },
  );
  console.log(
    `  every auto-reply workflow (${events.toLocaleString('en-US')} webhooks measured, plus the warm-up) done ${((Date.now() - endedAt) / 1000).toFixed(1)} s after the load ended`,
  );
}

const summarise = (load: LoadResult) => ({
  rate: load.requests / load.seconds,
  ...spread(load.latencies),
  ok: load.statuses['200'] ?? 0,
});

async function measureBare(url: string, seconds: number, connections: number, withInsert: boolean) {
  const db = withInsert ? createDb(url, 'unused') : undefined;
  try {
    if (db) await db.schema.createTable(BARE_TABLE, (t) => (t.bigIncrements('id'), t.jsonb('body').notNullable()));
    const bare = await bareKoa(
      db ? async (body) => void (await db(BARE_TABLE).insert({ body: JSON.stringify(body) })) : undefined,
    );
    try {
      return summarise(await runHttpLoad(bare.url, seconds, connections, 5));
    } finally {
      await bare.close();
    }
  } finally {
    await db?.schema.dropTableIfExists(BARE_TABLE);
    await db?.destroy();
  }
}

/**
 * Inbound webhooks (one customer text each, a new wamid every time) from a second process at
 * POST /webhooks/360dialog/ with the worker running, against a bare Koa endpoint that INSERTs
 * each body into Postgres (and, for scale, one that only answers 200).
 */
export const webhookBench: Bench = async (ctx) => {
  const { seconds, connections } = ctx.settings.webhook;
  const only200 = await measureBare(ctx.shared.database.url, seconds, connections, false);
  const baseline = await measureBare(ctx.shared.database.url, seconds, connections, true);
  await truncateAll(ctx.shared.database.db);
  const system = await startBenchSystem();
  let product: ReturnType<typeof summarise>;
  let load: LoadResult;
  try {
    load = await runHttpLoad(`${system.baseUrl}/webhooks/360dialog/`, seconds, connections, 6);
    product = summarise(load);
    await reportDrain(system, load.requests);
  } finally {
    await system.stop();
  }
  const notOk = load.requests - product.ok;
  if (notOk > 0)
    console.log(
      `  ${notOk} webhooks were not answered 200: ${JSON.stringify(load.statuses)}, ${load.errors} connection errors`,
    );
  console.log(
    `  bare Koa answering 200: ${perSecond(only200.rate)}, p50 ${only200.p50.toFixed(1)} / p99 ${only200.p99.toFixed(1)} ms`,
  );
  console.log(
    `  bare Koa INSERTing each body: ${perSecond(baseline.rate)}, p50 ${baseline.p50.toFixed(1)} / p99 ${baseline.p99.toFixed(1)} ms`,
  );
  const r = ratio(product.rate, baseline.rate);
  return [
    {
      bench: 'webhook',
      size: `${seconds} s, ${connections} connections`,
      result: `${perSecond(product.rate)} webhooks (${product.ok} answered 200)`,
      baseline: `${perSecond(baseline.rate)} bare Koa + INSERT (p99 ${baseline.p99.toFixed(1)} ms; answering 200 only: ${perSecond(only200.rate)})`,
      ratio: r,
      target: `ratio >= ${TARGET_RATIO}, p99 <= ${TARGET_P99_MS} ms`,
      met: r >= TARGET_RATIO && product.p99 <= TARGET_P99_MS && notOk === 0,
      latency: `p50 ${product.p50.toFixed(1)} / p99 ${product.p99.toFixed(1)} ms`,
    },
  ];
};
