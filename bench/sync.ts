import type { Knex } from 'knex';
import { apiClient, type ApiClient } from '../test/helpers/api-client';
import { truncateAll } from '../test/helpers/database';
import { eventually } from '../test/helpers/poll';
import {
  contactCount,
  e164,
  finishedRun,
  leads,
  startWordPressSystem,
  stopSyncWorkflow,
} from '../test/helpers/wordpress-sync';
import type { FakeEntry } from '../test/fakes/fake-wordpress';
import { sizeNote, type Bench } from './lib/context';
import { FULL_SIZES } from './lib/settings';
import { perSecond, ratio } from './lib/stats';

const BASELINE_BATCH = 1_000;

async function syncNowAndWait(api: ApiClient, timeoutMs: number) {
  const before = (await api.get('/contacts/sync/')).body.run_id ?? 0;
  const accepted = await api.post('/contacts/sync/');
  if (accepted.status !== 202)
    throw new Error(`POST /contacts/sync/ answered ${accepted.status}: ${JSON.stringify(accepted.body)}`);
  return eventually(
    async () => {
      const { body } = await api.get('/contacts/sync/');
      return body.run_id > before && body.status !== 'running' ? body : undefined;
    },
    { what: 'the sync run', timeoutMs, intervalMs: 200 },
  );
}

/**
 * The rows upsertLeads writes for these entries, as one bare multi-row INSERT per batch; the same trigger seats them.
 */
function contactRows(entries: FakeEntry[]) {
  return entries.map((entry) => {
    const fields = entry.fields as { first_name: string; last_name: string; email: string };
    return {
      name: `${fields.first_name} ${fields.last_name}`,
      phone_number: e164(entry),
      email: fields.email,
      source: 'wordpress',
      external_id: String(entry.id),
      external_updated_at: `${entry.modified_gmt}Z`,
    };
  });
}

/**
 * What the seating triggers cost: the same batches into a trigger-less copy of the table (same columns, defaults and
 * indexes).
 */
async function insertWithoutTriggers(db: Knex, rows: ReturnType<typeof contactRows>): Promise<number> {
  return db.transaction(async (trx) => {
    await trx.raw('CREATE TEMP TABLE bench_contacts (LIKE contacts INCLUDING ALL) ON COMMIT DROP');
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += BASELINE_BATCH)
      await trx('bench_contacts').insert(rows.slice(i, i + BASELINE_BATCH));
    return (rows.length / (performance.now() - t0)) * 1000;
  });
}

/**
 * A fake WordPress route with N leads, synced by the real workflow (fetch pages, upsert,
 * seat in groups): contacts/s from the run's started_at to finished_at. Baseline: the same
 * rows in bare multi-row INSERTs into the same (emptied) table.
 */
export const syncBench: Bench = async (ctx) => {
  const { n } = ctx.settings.sync;
  await truncateAll(ctx.shared.database.db);
  const { wp, system } = await startWordPressSystem(0);
  const api = apiClient(system.baseUrl);
  let report: any;
  const entries = leads(n);
  try {
    await finishedRun(api);
    // In slices: one call with 100,000 arguments overflows the stack.
    for (let i = 0; i < entries.length; i += 10_000) wp.add(...entries.slice(i, i + 10_000));
    report = await syncNowAndWait(api, 60_000 + n * 5);
  } finally {
    await stopSyncWorkflow(system, 'benchmark done');
    await system.stop();
    await wp.stop();
  }
  if (report.status !== 'succeeded' || report.created !== n)
    throw new Error(`the sync did not import ${n} leads: ${JSON.stringify(report).slice(0, 500)}`);
  const db = ctx.shared.database.db;
  const ungrouped = Number((await db('contacts').whereNull('group_id').count({ n: '*' }))[0].n);
  const groups = Number((await db('groups').count({ n: '*' }))[0].n);
  const elapsedMs = Date.parse(report.finished_at) - Date.parse(report.started_at);
  const rate = (n / elapsedMs) * 1000;
  console.log(
    `  synced ${report.created} contacts in ${(elapsedMs / 1000).toFixed(1)} s into ${groups} groups (${ungrouped} without a group)`,
  );

  await truncateAll(db);
  const rows = contactRows(entries);
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += BASELINE_BATCH) await db('contacts').insert(rows.slice(i, i + BASELINE_BATCH));
  const baselineMs = performance.now() - t0;
  const baselineRate = (n / baselineMs) * 1000;
  if ((await contactCount(db)) !== n) throw new Error('the baseline insert did not write every row');
  await truncateAll(db);
  const untriggered = await insertWithoutTriggers(db, rows);
  console.log(
    `  the same INSERTs into a copy of contacts without the group-seating triggers: ${perSecond(untriggered)}`,
  );
  const r = ratio(rate, baselineRate);
  return [
    {
      bench: 'sync',
      size: `${sizeNote(n, FULL_SIZES.BENCH_SYNC_N, 'BENCH_SYNC_N')} leads, 100 per page`,
      result: `${perSecond(rate)} contacts imported and grouped`,
      baseline: `${perSecond(baselineRate)} bare INSERT (${BASELINE_BATCH} rows a statement)`,
      ratio: r,
      target: '>= 5,000/s',
      met: rate >= 5_000 && ungrouped === 0,
    },
  ];
};
