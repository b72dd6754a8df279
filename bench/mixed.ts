import { fork } from 'node:child_process';
import path from 'node:path';
import { apiClient } from '../test/helpers/api-client';
import { groupWithMembers } from '../test/helpers/broadcasts';
import { truncateAll } from '../test/helpers/database';
import { eventually } from '../test/helpers/poll';
import type { TestSystem } from '../test/helpers/system';
import { startBenchSystem } from './lib/system';
import type { Delivered, StatusLoadResult, ToStatusLoad } from './load/status-load';
import { sizeNote, type Bench, type BenchContext } from './lib/context';
import { delay } from './lib/pool';
import type { ResultRow } from './lib/results';
import { FULL_SIZES } from './lib/settings';
import { perSecond, ratio, spread } from './lib/stats';
import { settledCount } from './lib/temporal-count';

const WARM_UP_RECIPIENTS = 50;
const FORWARD_EVERY_MS = 50;
const TARGET_WEBHOOK_P99_MS = 100;
const TARGET_VISIBLE_P99_MS = 2_000;
const TARGET_RATE_RATIO = 0.9;
const TARGET_EXECUTIONS_PER_RECIPIENT = 0.01;
/** Sampled messages polled for visibility: about 500 of 10,000, few enough not to load the API themselves. */
const SAMPLES = 500;

interface BroadcastRun {
  /** Recipients/s from the POST to the last send (or to the deadline, when not all were sent). */
  rate: number;
  sent: number;
  seconds: number;
  /** Workflow executions started from just before the broadcast's POST until everything settled. */
  executions: number;
  load?: StatusLoadResult;
}

function startStatusLoad(system: TestSystem, connections: number, sampleEvery: number) {
  const script = path.join(__dirname, 'load', 'status-load.ts');
  const child = fork(script, [JSON.stringify({ baseUrl: system.baseUrl, connections, sampleEvery })], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const result = new Promise<StatusLoadResult>((resolve, reject) => {
    child.once('message', (message) => resolve(message as StatusLoadResult));
    child.once('exit', (code) =>
      reject(new Error(`the status webhook process exited with code ${code} before reporting`)),
    );
  });
  result.catch(() => undefined);
  return {
    send: (message: ToStatusLoad) => child.send(message),
    result,
    kill: () => void (child.exitCode === null && child.kill('SIGKILL')),
  };
}

/**
 * A broadcast to `n` fresh contacts at `cap`; with `load`, a second process is told of every send
 * as it reaches the fake 360Dialog and posts its three status webhooks meanwhile.
 */
async function broadcast(ctx: BenchContext, load: boolean, timeoutMs: number): Promise<BroadcastRun> {
  const { n, cap, connections, drainSeconds } = ctx.settings.mixed;
  await truncateAll(ctx.shared.database.db);
  const system = await startBenchSystem({ D360_MAX_MESSAGES_PER_SECOND: String(cap) });
  const statusLoad = load ? startStatusLoad(system, connections, Math.max(1, Math.floor(n / SAMPLES))) : undefined;
  try {
    const api = apiClient(system.baseUrl);
    const warmUp = await groupWithMembers(system.db, api, WARM_UP_RECIPIENTS);
    await api.post('/whatsapp/', { group_id: warmUp.group.id, message: 'Warm-up' });
    await eventually(() => system.fake.requests.length >= WARM_UP_RECIPIENTS, {
      what: 'the warm-up broadcast',
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    const { group } = await groupWithMembers(system.db, api, n);
    const executionsBefore = await settledCount(system.temporal);
    system.fake.reset();

    const postedAt = Date.now();
    const created = await api.post('/whatsapp/', { group_id: group.id, message: 'Big news!' });
    if (created.status !== 201)
      throw new Error(`broadcast POST answered ${created.status}: ${JSON.stringify(created.body)}`);
    const sends = () => system.fake.requests.filter((r) => r.path === '/messages');
    let forwarded = 0;
    // Not a failure when it runs out: a broadcast slowed down by the load is what this measures.
    const deadline = Date.now() + timeoutMs;
    while (forwarded < n && Date.now() < deadline) {
      await delay(FORWARD_EVERY_MS);
      const fresh = sends().slice(forwarded);
      forwarded += fresh.length;
      if (statusLoad && fresh.length > 0)
        statusLoad.send({
          kind: 'delivered',
          items: fresh.map((r): Delivered => ({
            wamid: r.wamid!,
            id: Number(r.body.biz_opaque_callback_data),
            phone: r.body.to,
          })),
        });
    }
    const endedAt = forwarded >= n ? Math.max(...sends().map((r) => r.at)) : Date.now();
    const rate = (forwarded / (endedAt - postedAt)) * 1000;
    statusLoad?.send({ kind: 'end', drainMs: drainSeconds * 1000 });
    const result = await statusLoad?.result;
    const executions = (await settledCount(system.temporal)) - executionsBefore;
    return { rate, sent: forwarded, seconds: (endedAt - postedAt) / 1000, executions, load: result };
  } finally {
    statusLoad?.kill();
    await system.stop();
  }
}

/** The worst p99 of the webhooks sent in any `bucketMs` slice of the run: "throughout", not on average. */
function worstSliceP99(webhooks: [number, number][], bucketMs = 5_000): number {
  const buckets = new Map<number, number[]>();
  for (const [at, ms] of webhooks) {
    const key = Math.floor(at / bucketMs);
    if (!buckets.has(key)) buckets.set(key, []);
    buckets.get(key)!.push(ms);
  }
  return Math.max(...[...buckets.values()].filter((b) => b.length >= 20).map((b) => spread(b).p99), 0);
}

/**
 * Issue 13's mixed scenario: a broadcast at cap 1,000/s alone, then again while a second process
 * posts three status webhooks per delivered message; plus what the loaded run cost Temporal.
 */
export const mixedBench: Bench = async (ctx) => {
  const { n, cap, connections, drainSeconds } = ctx.settings.mixed;
  const alone = await broadcast(ctx, false, 120_000 + 3 * (n / Math.min(cap, 100)) * 1000);
  if (alone.sent < n)
    throw new Error(`the broadcast alone sent only ${alone.sent} of ${n} in ${alone.seconds.toFixed(0)} s`);
  console.log(`  broadcast alone: ${perSecond(alone.rate)}, ${alone.executions} workflow executions`);
  // Under the load it may go far slower (that is the finding); give it five times as long, at least 2 minutes.
  const loaded = await broadcast(ctx, true, Math.max(120_000, 5 * alone.seconds * 1000));
  if (loaded.sent < n)
    console.log(`  under the load the broadcast sent only ${loaded.sent} of ${n} in ${loaded.seconds.toFixed(0)} s`);
  const load = loaded.load!;
  const latencies = load.webhooks.map(([, ms]) => ms);
  const webhook = spread(latencies);
  const worst = worstSliceP99(load.webhooks);
  const posted = load.webhooks.length;
  const ok = load.statuses['200'] ?? 0;
  const span = (Math.max(...load.webhooks.map(([at]) => at)) - Math.min(...load.webhooks.map(([at]) => at))) / 1000;
  const visible = spread(load.visible);
  console.log(
    `  status webhooks: ${posted} posted (${ok} answered 200, ${load.errors} errors) of ${3 * loaded.sent} owed, ${load.leftOver} left when the ${drainSeconds} s drain ran out; ${perSecond(posted / Math.max(span, 0.001))}`,
  );
  console.log(`  visibility: ${load.visible.length} sampled reads seen, ${load.neverVisible} never within 60 s`);
  const size = `${sizeNote(n, FULL_SIZES.BENCH_MIXED_N, 'BENCH_MIXED_N')} recipients, cap ${cap}/s, 3 status webhooks per send from ${connections} connections`;
  const r = ratio(loaded.rate, alone.rate);
  const perRecipient = loaded.executions / Math.max(1, loaded.sent);
  const rows: ResultRow[] = [
    {
      bench: 'mixed webhook',
      size,
      result: `${ok} of ${3 * loaded.sent} status webhooks answered 200 (${perSecond(posted / Math.max(span, 0.001))}; ${load.leftOver} not posted after ${drainSeconds} s)`,
      baseline: `target p99 ${TARGET_WEBHOOK_P99_MS} ms in every 5 s slice`,
      ratio: TARGET_WEBHOOK_P99_MS / Math.max(1, worst),
      target: `webhook p99 <= ${TARGET_WEBHOOK_P99_MS} ms throughout`,
      met: worst <= TARGET_WEBHOOK_P99_MS && load.leftOver === 0 && ok === 3 * loaded.sent,
      latency: `p50 ${webhook.p50.toFixed(1)} / p99 ${webhook.p99.toFixed(1)} ms, worst 5 s slice p99 ${worst.toFixed(1)} ms`,
    },
    {
      bench: 'mixed visible',
      size,
      result: `p99 ${Math.round(visible.p99)} ms from the read webhook to GET /whatsapp/{id}/ showing it (${load.visible.length} sampled, ${load.neverVisible} never)`,
      baseline: `target p99 ${TARGET_VISIBLE_P99_MS} ms`,
      ratio: TARGET_VISIBLE_P99_MS / Math.max(1, visible.p99),
      target: `p99 <= ${TARGET_VISIBLE_P99_MS} ms`,
      met: load.visible.length > 0 && load.neverVisible === 0 && visible.p99 <= TARGET_VISIBLE_P99_MS,
      latency: `p50 ${Math.round(visible.p50)} / p99 ${Math.round(visible.p99)} / max ${Math.round(visible.max)} ms`,
    },
    {
      bench: 'mixed broadcast',
      size,
      result: `${perSecond(loaded.rate)} recipients under the status load${loaded.sent < n ? ` (only ${loaded.sent} of ${n} sent in ${loaded.seconds.toFixed(0)} s)` : ''}`,
      baseline: `${perSecond(alone.rate)} without it`,
      ratio: r,
      target: `ratio >= ${TARGET_RATE_RATIO}`,
      met: r >= TARGET_RATE_RATIO && loaded.sent === n,
    },
    {
      bench: 'Temporal cost',
      size,
      result: `${perRecipient.toFixed(3)} workflow executions per recipient (${loaded.executions} for ${loaded.sent.toLocaleString('en-US')} recipients sent and ${posted} status webhooks)`,
      baseline: `${(alone.executions / n).toFixed(3)} per recipient without the statuses (${alone.executions})`,
      ratio: TARGET_EXECUTIONS_PER_RECIPIENT / Math.max(perRecipient, 1e-9),
      target: `<= ${TARGET_EXECUTIONS_PER_RECIPIENT} per recipient, statuses add none`,
      met: perRecipient <= TARGET_EXECUTIONS_PER_RECIPIENT,
    },
  ];
  return rows;
};
