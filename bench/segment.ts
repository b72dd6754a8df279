import { apiClient, type ApiClient } from '../test/helpers/api-client';
import { groupWithMembers } from '../test/helpers/broadcasts';
import { truncateAll } from '../test/helpers/database';
import { insertContacts } from '../test/helpers/groups';
import { eventually } from '../test/helpers/poll';
import type { TestSystem } from '../test/helpers/system';
import { startBenchSystem } from './lib/system';
import { sizeNote, type Bench } from './lib/context';
import { FULL_SIZES } from './lib/settings';
import { perSecond, ratio } from './lib/stats';

const UNCAPPED = '10000';
const WARM_UP_RECIPIENTS = 50;
const TAG = 'bench-segment';

/** POSTs the broadcast and waits for `n` sends at the fake: recipients/s from the POST to the last send. */
async function broadcastRate(
  system: TestSystem,
  api: ApiClient,
  n: number,
  audience: { group_id: number } | { segment_id: number },
): Promise<number> {
  system.fake.reset();
  const sends = () => system.fake.requests.filter((r) => r.path === '/messages');
  const postedAt = Date.now();
  const created = await api.post('/whatsapp/', { ...audience, message: 'Big news!' });
  if (created.status !== 201)
    throw new Error(`broadcast POST answered ${created.status}: ${JSON.stringify(created.body)}`);
  await eventually(() => sends().length >= n, {
    what: `${n} sends at the fake`,
    timeoutMs: 120_000 + n * 30,
    intervalMs: 50,
  });
  const rate = (n / (Math.max(...sends().map((r) => r.at)) - postedAt)) * 1000;
  // The audience is exactly N: a broadcast that reached more people would only look fast.
  const { body } = await api.get(`/whatsapp/${created.body.id}/`);
  if (body.recipient_count !== n) throw new Error(`the broadcast went to ${body.recipient_count} recipients, not ${n}`);
  return rate;
}

/**
 * A broadcast to a segment of N contacts (a tag filter, evaluated at send time) with the cap
 * lifted, against the same broadcast to a group of N just before and after it in the same
 * system: recipients/s from the POST to the last send at the fake 360Dialog.
 */
export const segmentBench: Bench = async (ctx) => {
  const { n } = ctx.settings.segment;
  await truncateAll(ctx.shared.database.db);
  const system = await startBenchSystem({ D360_MAX_MESSAGES_PER_SECOND: UNCAPPED });
  let groupRate: number;
  let segmentRate: number;
  try {
    const api = apiClient(system.baseUrl);
    // The first broadcast in a fresh worker pays for loading and JIT warm-up.
    const warmUp = await groupWithMembers(system.db, api, WARM_UP_RECIPIENTS);
    await broadcastRate(system, api, WARM_UP_RECIPIENTS, { group_id: warmUp.group.id });

    const { group } = await groupWithMembers(system.db, api, n);
    const groupBefore = await broadcastRate(system, api, n, { group_id: group.id });

    const ids = await insertContacts(system.db, n, { batch: 1_000, name: 'Segment lead' });
    await system
      .db('contacts')
      .whereIn('id', ids)
      .update({ tags: [TAG] });
    const segment = await api.post('/segments/', { name: 'Bench segment', filter: { tags: [TAG] } });
    if (segment.status !== 201 || segment.body.member_count !== n)
      throw new Error(`POST /segments/ answered ${segment.status}: ${JSON.stringify(segment.body).slice(0, 300)}`);
    segmentRate = await broadcastRate(system, api, n, { segment_id: segment.body.id });
    // The group broadcast again after it, so that neither audience gains from running later (warmer JIT, caches).
    const groupAfter = await broadcastRate(system, api, n, { group_id: group.id });
    groupRate = (groupBefore + groupAfter) / 2;
    console.log(
      `  group of ${n}: ${perSecond(groupBefore)} before, ${perSecond(groupAfter)} after; segment of ${n} (tag filter): ${perSecond(segmentRate)}`,
    );
  } finally {
    await system.stop();
  }
  const r = ratio(segmentRate, groupRate);
  console.log(`  segment / group: ${r.toFixed(2)}`);
  return [
    {
      bench: 'segment',
      size: `${sizeNote(n, FULL_SIZES.BENCH_SEGMENT_N, 'BENCH_SEGMENT_N')} recipients (tag filter), cap lifted`,
      result: `${perSecond(segmentRate)} recipients`,
      baseline: `${perSecond(groupRate)} the same broadcast to a group of ${n.toLocaleString('en-US')}, run before and after, averaged`,
      ratio: r,
      target: '>= 0.9x the group broadcast',
      met: r >= 0.9,
    },
  ];
};
