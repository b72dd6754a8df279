import type { Knex } from 'knex';
import { createTemplatesRepository } from '../src/db/repositories/templates';
import { apiClient } from '../test/helpers/api-client';
import { groupWithMembers } from '../test/helpers/broadcasts';
import { truncateAll } from '../test/helpers/database';
import { eventually } from '../test/helpers/poll';
import { startBenchSystem } from './lib/system';
import { benchPhone, type BenchContext } from './lib/context';
import { postMessage } from './lib/post-retrying';
import { runConcurrently } from './lib/pool';
import type { ResultRow } from './lib/results';
import { perSecond, ratio } from './lib/stats';

const UNCAPPED = '10000';
const TARGET_RATIO = 0.9;
const TEMPLATE = { name: 'bench_news', language: 'en' };
const WARM_UP = 50;
const SINGLES_CONCURRENCY = 16;

/**
 * WhatsApp's rules all in force (docs/whatsapp-rules.md): windows enforced, the pair rate, a daily
 * limit high enough never to hold anyone back but counted on every page and every single
 * template claim, RED-quality and paused-template looks, US marketing and 131049 handling.
 */
const RULES_ON = {
  SERVICE_WINDOW_POLICY: 'enforce',
  PAIR_RATE_SECONDS: '6',
  MESSAGING_LIMIT_PER_DAY: '1000000',
  PAUSE_ON_RED_QUALITY: 'true',
  ALLOW_US_MARKETING_TEMPLATES: 'false',
  MARKETING_CAP_RETRY: '24h',
};
/** The same switched off by configuration. The POST-time template check stays: it is one lookup per POST. */
const RULES_OFF = {
  SERVICE_WINDOW_POLICY: 'off',
  PAIR_RATE_SECONDS: '0',
  MESSAGING_LIMIT_PER_DAY: 'unlimited',
  PAUSE_ON_RED_QUALITY: 'false',
  ALLOW_US_MARKETING_TEMPLATES: 'true',
  MARKETING_CAP_RETRY: 'off',
};

/** An approved marketing template, as if the templates-sync workflow had read it. */
async function seedTemplate(db: Knex): Promise<void> {
  const templates = createTemplatesRepository(db);
  await templates.upsert([
    {
      ...TEMPLATE,
      category: 'MARKETING',
      status: 'APPROVED',
      quality: 'GREEN',
      components: [{ type: 'BODY', text: 'News!' }],
      rejected_reason: null,
      external_id: null,
    },
  ]);
  await templates.recordSync({ synced: true, templateCount: 1 });
}

/** Recipients/s of one scenario, from the first POST to the last send at the fake 360Dialog. */
async function sendRate(
  ctx: BenchContext,
  env: Record<string, string>,
  scenario: 'broadcast' | 'singles',
  n: number,
): Promise<number> {
  await truncateAll(ctx.shared.database.db);
  const system = await startBenchSystem({ D360_MAX_MESSAGES_PER_SECOND: UNCAPPED, ...env });
  try {
    const api = apiClient(system.baseUrl);
    await seedTemplate(system.db);
    const sends = () => system.fake.requests.filter((r) => r.path === '/messages').length;
    const warmUp = await groupWithMembers(system.db, api, WARM_UP);
    await api.post('/whatsapp/', { group_id: warmUp.group.id, template: TEMPLATE });
    await eventually(() => sends() >= WARM_UP, { what: 'the warm-up broadcast', timeoutMs: 60_000, intervalMs: 50 });
    system.fake.reset();
    const group = scenario === 'broadcast' ? (await groupWithMembers(system.db, api, n)).group : undefined;
    const started = Date.now();
    if (group) {
      const created = await api.post('/whatsapp/', { group_id: group.id, template: TEMPLATE });
      if (created.status !== 201)
        throw new Error(`broadcast POST answered ${created.status}: ${JSON.stringify(created.body)}`);
    } else {
      const retries = { count: 0 };
      const series = Date.now() % 10;
      await runConcurrently(
        n,
        SINGLES_CONCURRENCY,
        async (i) =>
          void (await postMessage(api, { phone_number: benchPhone(series, i), template: TEMPLATE }, retries)),
      );
    }
    await eventually(() => sends() >= n, { what: `${n} sends at the fake`, timeoutMs: 300_000, intervalMs: 50 });
    return (n / (Math.max(...system.fake.requests.map((r) => r.at)) - started)) * 1000;
  } finally {
    await system.stop();
  }
}

/**
 * The send scenario with every rule on and with them off, in the same run, alternating (off, on,
 * off, on) and keeping each side's best, so a neighbour's burst on a shared machine weighs less.
 */
async function compare(
  ctx: BenchContext,
  scenario: 'broadcast' | 'singles',
  n: number,
  size: string,
): Promise<ResultRow> {
  const off: number[] = [];
  const on: number[] = [];
  for (let round = 0; round < 2; round++) {
    off.push(await sendRate(ctx, RULES_OFF, scenario, n));
    on.push(await sendRate(ctx, RULES_ON, scenario, n));
  }
  const [best, bestOff] = [Math.max(...on), Math.max(...off)];
  const r = ratio(best, bestOff);
  console.log(
    `  rules ${scenario}: on ${on.map(perSecond).join(', ')}; off ${off.map(perSecond).join(', ')}; best on / best off ${r.toFixed(2)}`,
  );
  return {
    bench: scenario === 'broadcast' ? 'send rules' : 'send rules singles',
    size,
    result: `${perSecond(best)} with every WhatsApp rule on (runs ${on.map(perSecond).join(', ')})`,
    baseline: `${perSecond(bestOff)} with them off by config (runs ${off.map(perSecond).join(', ')})`,
    ratio: r,
    target: `ratio >= ${TARGET_RATIO} (rules cost <= 10 %)`,
    met: r >= TARGET_RATIO,
  };
}

/** Rows `send rules` (a template broadcast) and `send rules singles` (single template messages, 16 POSTs at once). */
export async function rulesOverheadRows(ctx: BenchContext, n: number, singles: number): Promise<ResultRow[]> {
  return [
    await compare(
      ctx,
      'broadcast',
      n,
      `${n.toLocaleString('en-US')} recipients of a marketing template, cap lifted, best of 2 each`,
    ),
    await compare(
      ctx,
      'singles',
      singles,
      `${singles.toLocaleString('en-US')} single marketing templates, ${SINGLES_CONCURRENCY} clients, cap lifted, best of 2 each`,
    ),
  ];
}
