import { request } from 'undici';
import { apiClient } from '../test/helpers/api-client';
import { truncateAll } from '../test/helpers/database';
import { startBenchSystem } from './lib/system';
import { sizeNote, type Bench } from './lib/context';
import { copyBaseline, csvRows } from './lib/csv-copy';
import { mb, watchRss } from './lib/memory';
import { FULL_SIZES } from './lib/settings';
import { perSecond, ratio } from './lib/stats';

const SERIES = 7;
const TAG = 'bench-import';
/** "Bounded memory" made a number: what the upload may add to the serving process's RSS. */
const MAX_RSS_GROWTH = 256 * 1024 * 1024;

/**
 * `POST /contacts/import/` of N generated rows streamed as text/csv to the real API (upsert
 * by phone, tags, group seating) until the import resource says completed: rows/s, and the
 * peak RSS of the process serving it during the upload. Baseline: the same rows by a bare
 * COPY into a trigger-less copy of contacts, in the same database.
 */
export const importBench: Bench = async (ctx) => {
  const { n } = ctx.settings.import;
  const db = ctx.shared.database.db;
  await truncateAll(db);
  const system = await startBenchSystem();
  let done: any;
  let elapsedMs: number;
  let before: number;
  let peak: number;
  try {
    const api = apiClient(system.baseUrl);
    before = process.memoryUsage.rss();
    const rss = watchRss(undefined, 50);
    const t0 = performance.now();
    const response = await request(`${system.baseUrl}/contacts/import/?tag=${TAG}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: csvRows(n, SERIES),
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    const answer = (await response.body.json()) as any;
    if (response.statusCode !== 201)
      throw new Error(
        `POST /contacts/import/ answered ${response.statusCode}: ${JSON.stringify(answer).slice(0, 500)}`,
      );
    done = (await api.get(`/contacts/import/${answer.id}/`)).body;
    elapsedMs = performance.now() - t0;
    peak = rss.stop().node;
  } finally {
    await system.stop();
  }
  if (done.status !== 'completed' || done.created !== n || done.failed !== 0)
    throw new Error(`the import did not create ${n} contacts: ${JSON.stringify(done).slice(0, 500)}`);
  const ungrouped = Number((await db('contacts').whereNull('group_id').count({ n: '*' }))[0].n);
  const tagged = Number(
    (
      await db('contacts')
        .whereRaw('tags @> ?::text[]', [[TAG]])
        .count({ n: '*' })
    )[0].n,
  );
  const rate = (n / elapsedMs) * 1000;
  const resourceMs = Date.parse(done.finished_at) - Date.parse(done.created_at);
  console.log(
    `  imported ${done.created} rows in ${(elapsedMs / 1000).toFixed(1)} s (import resource: ${(resourceMs / 1000).toFixed(1)} s); ${tagged} tagged, ${ungrouped} without a group`,
  );
  console.log(`  node RSS ${mb(before)} before the upload, peak ${mb(peak)} during it`);

  await truncateAll(db);
  const baseline = await copyBaseline(db, ctx.shared.database.url, n, SERIES);
  return [
    {
      bench: 'import',
      size: `${sizeNote(n, FULL_SIZES.BENCH_IMPORT_N, 'BENCH_IMPORT_N')} CSV rows, streamed`,
      result: `${perSecond(rate)} rows imported, tagged and grouped; node peak ${mb(peak)} (${mb(before)} before)`,
      baseline: `${perSecond(baseline.rate)} ${baseline.label}`,
      ratio: ratio(rate, baseline.rate),
      target: 'every row in, RSS growth <= 256 MB',
      met: ungrouped === 0 && tagged === n && peak - before <= MAX_RSS_GROWTH,
    },
  ];
};
