import { apiClient } from '../test/helpers/api-client';
import { groupWithMembers } from '../test/helpers/broadcasts';
import { truncateAll } from '../test/helpers/database';
import { startEventReceiver } from '../test/helpers/event-receiver';
import { eventually } from '../test/helpers/poll';
import { startBenchSystem } from './lib/system';
import { inboxApplied, postWebhook } from '../test/helpers/webhooks';
import { statusEvent, webhookBody } from '../test/fakes/webhook-bodies';
import type { Bench, BenchContext } from './lib/context';
import { runHttpLoad } from './lib/http-load';
import type { ResultRow } from './lib/results';
import { perSecond, ratio, spread } from './lib/stats';

/** A slow subscriber may cost sending and webhook ingest at most this much. */
const MAX_SLOWDOWN = 0.1;
const WARM_UP_RECIPIENTS = 50;

interface Figures {
  sendRate: number;
  webhookRate: number;
  webhookP99: number;
  /** What reached the subscriber, and what was still waiting for it, when the run ended. */
  delivered: number;
  pending: number;
  /** From the broadcast POST to its first send: start-up, as against the fan-out itself. */
  firstAfterMs: number;
}

/**
 * One system: a broadcast with the cap lifted (recipients/s from the POST to the last send at the
 * fake), then inbound webhooks under load; with a subscriber, one that answers each event after
 * `delayMs`, subscribed to message.status_changed and message.received, and 100 status changes
 * queued for it before the measurements start.
 */
async function measure(ctx: BenchContext, subscriberDelayMs: number | undefined): Promise<Figures> {
  const { sendN, seconds, connections } = ctx.settings.subscriber;
  await truncateAll(ctx.shared.database.db);
  const system = await startBenchSystem({
    D360_MAX_MESSAGES_PER_SECOND: '10000',
    EVENT_WEBHOOKS_ALLOW_PRIVATE: 'true',
  });
  const receiver =
    subscriberDelayMs === undefined ? undefined : await startEventReceiver({ delayMs: subscriberDelayMs });
  try {
    const api = apiClient(system.baseUrl);
    if (receiver) {
      const events = ['message.status_changed', 'message.received'];
      const subscribed = await api.post('/event-subscriptions/', {
        url: receiver.url,
        events,
        description: 'slow subscriber (bench)',
      });
      if (subscribed.status !== 201)
        throw new Error(`subscription answered ${subscribed.status}: ${JSON.stringify(subscribed.body)}`);
    }
    const sends = () => system.fake.requests.filter((r) => r.path === '/messages');
    const warmUp = await groupWithMembers(system.db, api, WARM_UP_RECIPIENTS);
    await api.post('/whatsapp/', { group_id: warmUp.group.id, message: 'Warm-up' });
    await eventually(() => sends().length >= WARM_UP_RECIPIENTS, {
      what: 'the warm-up broadcast',
      timeoutMs: 60_000,
      intervalMs: 50,
    });
    // Delivered and read for each warm-up send: 100 status changes, so a subscriber has a backlog
    // (100 x its delay) through both measurements. Posted in both runs; only the subscriber differs.
    const statuses = sends().flatMap((r) =>
      (['delivered', 'read'] as const).map((status) =>
        statusEvent({ wamid: r.wamid as string, status, recipient: r.body.to }),
      ),
    );
    const posted = await postWebhook(api, webhookBody({ statuses }));
    if (posted.status !== 200) throw new Error(`status webhook answered ${posted.status}`);
    await inboxApplied(system.db, 60_000);
    system.fake.reset();

    const { group } = await groupWithMembers(system.db, api, sendN);
    const postedAt = Date.now();
    const created = await api.post('/whatsapp/', { group_id: group.id, message: 'Big news!' });
    if (created.status !== 201)
      throw new Error(`broadcast POST answered ${created.status}: ${JSON.stringify(created.body)}`);
    await eventually(() => sends().length >= sendN, {
      what: `${sendN} sends at the fake`,
      timeoutMs: 300_000,
      intervalMs: 50,
    });
    const times = sends().map((r) => r.at);
    const sendRate = (sendN / (Math.max(...times) - postedAt)) * 1000;
    const firstAfterMs = Math.min(...times) - postedAt;

    const load = await runHttpLoad(`${system.baseUrl}/webhooks/360dialog/`, seconds, connections, 7);
    const latency = spread(load.latencies);
    const pending = Number((await system.db('event_deliveries').where({ status: 'pending' }).count({ n: '*' }))[0].n);
    return {
      sendRate,
      firstAfterMs,
      webhookRate: (load.statuses['200'] ?? 0) / load.seconds,
      webhookP99: latency.p99,
      delivered: receiver?.received.length ?? 0,
      pending,
    };
  } finally {
    await system.stop();
    await receiver?.close();
  }
}

/**
 * Issue 11: a subscriber that is slow (answers in 2 s) must not slow sending or webhook ingest:
 * the same send and webhook runs without and with one, and their ratios.
 */
export const subscriberBench: Bench = async (ctx) => {
  const { sendN, seconds, connections, delayMs, rounds } = ctx.settings.subscriber;
  // Alternating runs (without, with, without, ...), so a machine that warms up or gets busier over the run does not
  // favour one side; each side's figure is its mean.
  const runs: { without: Figures[]; withSlow: Figures[] } = { without: [], withSlow: [] };
  for (let round = 1; round <= rounds; round++) {
    const a = await measure(ctx, undefined);
    runs.without.push(a);
    console.log(
      `  round ${round} without a subscriber: send ${perSecond(a.sendRate)} (first after ${a.firstAfterMs} ms), webhooks ${perSecond(a.webhookRate)} (p99 ${a.webhookP99.toFixed(1)} ms)`,
    );
    const b = await measure(ctx, delayMs);
    runs.withSlow.push(b);
    console.log(
      `  round ${round} with a ${delayMs} ms subscriber: send ${perSecond(b.sendRate)} (first after ${b.firstAfterMs} ms), webhooks ${perSecond(b.webhookRate)} (p99 ${b.webhookP99.toFixed(1)} ms); ` +
        `${b.delivered} events delivered to it, ${b.pending} still pending at the end`,
    );
  }
  const mean = (figures: Figures[], pick: (f: Figures) => number) =>
    figures.reduce((sum, f) => sum + pick(f), 0) / figures.length;
  const without = {
    sendRate: mean(runs.without, (f) => f.sendRate),
    webhookRate: mean(runs.without, (f) => f.webhookRate),
    webhookP99: mean(runs.without, (f) => f.webhookP99),
  };
  const withSlow = {
    sendRate: mean(runs.withSlow, (f) => f.sendRate),
    webhookRate: mean(runs.withSlow, (f) => f.webhookRate),
    webhookP99: mean(runs.withSlow, (f) => f.webhookP99),
  };
  const subscriber = `a subscriber answering in ${delayMs} ms to message.status_changed and message.received`;
  const row = (bench: string, size: string, withValue: number, withoutValue: number, latency?: string): ResultRow => {
    const r = ratio(withValue, withoutValue);
    return {
      bench,
      size: `${size}, with ${subscriber}, mean of ${rounds} alternating runs each`,
      result: `${perSecond(withValue)} with the subscriber`,
      baseline: `${perSecond(withoutValue)} without`,
      ratio: r,
      target: `with / without >= ${1 - MAX_SLOWDOWN} (the subscriber costs < ${MAX_SLOWDOWN * 100} %)`,
      met: r >= 1 - MAX_SLOWDOWN,
      ...(latency ? { latency } : {}),
    };
  };
  return [
    row(
      'send w/ slow subscriber',
      `${sendN.toLocaleString('en-US')} recipients, cap lifted`,
      withSlow.sendRate,
      without.sendRate,
    ),
    row(
      'webhook w/ slow subscriber',
      `${seconds} s, ${connections} connections`,
      withSlow.webhookRate,
      without.webhookRate,
      `mean p99 ${withSlow.webhookP99.toFixed(1)} ms with, ${without.webhookP99.toFixed(1)} ms without`,
    ),
  ];
};
