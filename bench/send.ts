import { apiClient } from '../test/helpers/api-client';
import { groupWithMembers } from '../test/helpers/broadcasts';
import { truncateAll } from '../test/helpers/database';
import { eventually } from '../test/helpers/poll';
import { startBenchSystem } from './lib/system';
import { sizeNote, type Bench, type BenchContext } from './lib/context';
import type { ResultRow } from './lib/results';
import { FULL_SIZES } from './lib/settings';
import { PEER_CONCURRENCY } from './peer/bullmq';
import { perSecond, ratio, windowRates } from './lib/stats';
import { maxInSlidingWindow } from './lib/windows';
import { rulesOverheadRows } from './rules-overhead';

const UNCAPPED = '10000';
const WINDOW_MS = 10_000;
const WARM_UP_RECIPIENTS = 50;
/** The bare fan-out runs at a rate well below the product's; more recipients would only lengthen the run. */
const BASELINE_MAX = 2_000;
const TARGET_PEER_RATIO = 0.8;
const CAP_TOLERANCE = 0.05;

/**
 * Broadcasts to `n` fresh contacts and returns when each delivery reached the fake 360Dialog (ms since epoch) and when
 * the POST went out.
 */
async function broadcastTimes(ctx: BenchContext, n: number, cap: string): Promise<{ postedAt: number; at: number[] }> {
  await truncateAll(ctx.shared.database.db);
  const system = await startBenchSystem({ D360_MAX_MESSAGES_PER_SECOND: cap });
  try {
    const api = apiClient(system.baseUrl);
    // A small broadcast first: the first one in a fresh worker pays for loading and JIT warm-up.
    const warmUp = await groupWithMembers(system.db, api, WARM_UP_RECIPIENTS);
    await api.post('/whatsapp/', { group_id: warmUp.group.id, message: 'Warm-up' });
    await eventually(() => system.fake.requests.length >= WARM_UP_RECIPIENTS, {
      what: 'the warm-up broadcast',
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    system.fake.reset();
    const { group } = await groupWithMembers(system.db, api, n);
    const postedAt = Date.now();
    const created = await api.post('/whatsapp/', { group_id: group.id, message: 'Big news!' });
    if (created.status !== 201)
      throw new Error(`broadcast POST answered ${created.status}: ${JSON.stringify(created.body)}`);
    const sends = () => system.fake.requests.filter((r) => r.path === '/messages');
    const expectedMs = (n / Math.min(Number(cap), 100)) * 1000;
    await eventually(() => sends().length >= n, {
      what: `${n} sends at the fake`,
      timeoutMs: 120_000 + 3 * expectedMs,
      intervalMs: 50,
    });
    return { postedAt, at: sends().map((r) => r.at) };
  } finally {
    await system.stop();
  }
}

async function baselineFanOut(ctx: BenchContext, n: number, lanes?: number): Promise<number> {
  const baseline = await ctx.baseline();
  const t0 = Date.now();
  await baseline.client.workflow.execute('benchFanOut', {
    taskQueue: baseline.taskQueue,
    workflowId: `bench-fan-out-${Date.now().toString(36)}`,
    args: [{ total: n, sendQueue: baseline.sendQueue, lanes }],
  });
  return (n / (Date.now() - t0)) * 1000;
}

/**
 * A broadcast with the cap lifted (recipients/s from the POST to the last send reaching the
 * fake) against the same fan-out shape of no-op activities in a bare workflow; then a broadcast
 * at the cap, measured over every 10-second window; then WhatsApp's rules on against off.
 */
export const sendBench: Bench = async (ctx) => {
  const { n, cappedN, cap } = ctx.settings.send;
  const rows: ResultRow[] = [];
  const peer = ctx.settings.peer ? await ctx.peer() : undefined;
  const size = `${sizeNote(n, FULL_SIZES.BENCH_SEND_N, 'BENCH_SEND_N')} recipients, cap lifted`;

  const uncapped = await broadcastTimes(ctx, n, UNCAPPED);
  const last = Math.max(...uncapped.at);
  const first = Math.min(...uncapped.at);
  const rate = (n / (last - uncapped.postedAt)) * 1000;
  console.log(
    `  cap lifted: ${n} recipients in ${((last - uncapped.postedAt) / 1000).toFixed(1)} s (first send after ${first - uncapped.postedAt} ms; between first and last send ${perSecond((n / Math.max(1, last - first)) * 1000)})`,
  );
  const baselineN = Math.min(n, BASELINE_MAX);
  const baselineRate = await baselineFanOut(ctx, baselineN);
  if (process.env.BENCH_SEND_PROBES === 'on') {
    // What more parallelism would buy: the same bare fan-out with five times the lanes.
    const wideRate = await baselineFanOut(ctx, Math.ceil(baselineN / 2), 100);
    console.log(`  probe: bare fan-out with 100 lanes instead of 20: ${perSecond(wideRate)}`);
  }
  rows.push({
    bench: 'send',
    size,
    result: `${perSecond(rate)} recipients`,
    baseline: `${perSecond(baselineRate)} bare fan-out of ${baselineN.toLocaleString('en-US')} (3 no-op activities each)`,
    ratio: ratio(rate, baselineRate),
    target: '>= 1,000/s',
    met: rate >= 1_000,
  });
  if (peer) {
    const bull = await peer.send(n);
    const bullRate = (n / (Math.max(...bull.at) - bull.startedAt)) * 1000;
    const r = ratio(rate, bullRate);
    rows.push({
      bench: 'send vs BullMQ',
      size: `${size}, the same 360Dialog call per job`,
      result: `${perSecond(rate)} recipients`,
      baseline: `${perSecond(bullRate)} BullMQ jobs (concurrency ${PEER_CONCURRENCY})`,
      ratio: r,
      target: `ratio >= ${TARGET_PEER_RATIO} and >= 1,000/s`,
      met: r >= TARGET_PEER_RATIO && rate >= 1_000,
    });
  }

  const capped = await broadcastTimes(ctx, cappedN, String(cap));
  const { rates, partial } = windowRates(capped.at, WINDOW_MS);
  const deviation = Math.max(...rates.map((r) => Math.abs(r - cap))) / cap;
  const whole = (cappedN / Math.max(1, Math.max(...capped.at) - Math.min(...capped.at))) * 1000;
  const maxSecond = maxInSlidingWindow(capped.at, 1_000);
  console.log(
    `  cap ${cap}/s: ${rates.length} windows of 10 s, rates ${Math.min(...rates).toFixed(1)}..${Math.max(...rates).toFixed(1)}/s, over the whole run ${whole.toFixed(1)}/s${partial ? ' (run shorter than one window!)' : ''}; most in any sliding 1 s: ${maxSecond}`,
  );
  if (rate < cap)
    console.log(
      `  note: with the cap lifted this machine sent only ${perSecond(rate)}, below the cap, so the capped run measures throughput, not the limiter; BENCH_SEND_CAP=${Math.max(1, Math.floor(rate / 2))} shows the limiter alone`,
    );
  const cappedSize = `${cappedN.toLocaleString('en-US')} recipients, cap ${cap}/s`;
  rows.push({
    bench: 'send@cap',
    size: cappedSize,
    result: `${whole.toFixed(1)}/s overall; 10 s windows ${Math.min(...rates).toFixed(1)}..${Math.max(...rates).toFixed(1)}/s (max deviation ${(deviation * 100).toFixed(1)} %)`,
    baseline: `cap ${cap}/s`,
    ratio: ratio(whole, cap),
    target: 'every 10 s window within +-5 %',
    met: !partial && deviation <= 0.05,
  });
  const allowed = Math.floor(cap * (1 + CAP_TOLERANCE));
  const capRow: ResultRow = {
    bench: 'send@cap 1 s',
    size: cappedSize,
    result: `at most ${maxSecond} sends in any sliding 1 s window`,
    baseline: `cap + 5 % = ${allowed}`,
    ratio: ratio(maxSecond, cap),
    target: `no sliding 1 s window above ${allowed}`,
    met: maxSecond <= allowed,
  };
  if (peer) {
    const bull = await peer.send(cappedN, cap);
    const bullMax = maxInSlidingWindow(bull.at, 1_000);
    const bullWindows = windowRates(bull.at, WINDOW_MS);
    capRow.bench = 'send@cap 1 s vs BullMQ';
    capRow.baseline = `BullMQ limiter {max ${cap}, 1 s}: at most ${bullMax} in a sliding 1 s, 10 s windows ${Math.min(...bullWindows.rates).toFixed(1)}..${Math.max(...bullWindows.rates).toFixed(1)}/s; cap + 5 % = ${allowed}`;
    capRow.ratio = ratio(maxSecond, bullMax);
  }
  rows.push(capRow);
  // What WhatsApp's rules cost: the same sends with every rule on and off (bench/rules-overhead.ts).
  rows.push(...(await rulesOverheadRows(ctx, ctx.settings.send.rulesN, ctx.settings.send.rulesSingles)));
  return rows;
};
