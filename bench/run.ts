import { startShared, stopShared } from '../test/helpers/system';
import type { BaselineWorker } from './lib/baseline-worker';
import { startBaselineWorker } from './lib/baseline-worker';
import type { Bench, BenchContext } from './lib/context';
import { watchRss } from './lib/memory';
import { appendResult, hostText, printRow, RESULTS_FILE, type ResultRow } from './lib/results';
import { loadSettings, type BenchName } from './lib/settings';
import { scheduleBench } from './schedule';
import { sendBench } from './send';
import { latenessBench } from './lateness';
import { syncBench } from './sync';
import { webhookBench } from './webhook';
import { mixedBench } from './mixed';
import { subscriberBench } from './subscriber';
import { importBench } from './import';
import { segmentBench } from './segment';
import { fileBackedServer, replaceMemoryServer } from './lib/temporal-servers';
import { startPeer, type Peer } from './peer/bullmq';

const BENCHES: Record<BenchName, Bench> = {
  schedule: scheduleBench,
  send: sendBench,
  lateness: latenessBench,
  sync: syncBench,
  webhook: webhookBench,
  mixed: mixedBench,
  subscriber: subscriberBench,
  import: importBench,
  segment: segmentBench,
};

/**
 * `npm run bench`: a Temporal dev server (new for each scenario unless BENCH_TEMPORAL_SERVERS=shared), one Postgres
 * database and the fakes, as the tests use them; each benchmark prints its figures and appends a row to
 * bench/RESULTS.md.
 */
async function main(): Promise<number> {
  const settings = loadSettings();
  const startedAt = new Date();
  const host = hostText();
  console.log(
    `wa-automation benchmarks, ${startedAt.toISOString()}\nhost: ${host}\nrunning: ${settings.only.join(', ')}; Temporal dev server: ${settings.temporal.join(' and ')}; BullMQ peer: ${settings.peer ? 'on' : 'off'}`,
  );
  const baselines = new Map<string, Promise<BaselineWorker>>();
  const fileServer = fileBackedServer();
  let peer: Promise<Peer> | undefined;
  let stopping = false;
  const stopBaselines = async () => {
    for (const baseline of baselines.values())
      await (await baseline.catch(() => undefined))?.stop().catch(() => undefined);
    baselines.clear();
  };
  const cleanUp = async () => {
    await stopBaselines();
    await (await peer?.catch(() => undefined))?.stop().catch(() => undefined);
    await fileServer.stop().catch(() => undefined);
    await stopShared();
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      if (stopping) return;
      stopping = true;
      console.error(`\n${signal}: stopping the Temporal dev server and dropping the bench database`);
      void cleanUp().finally(() => process.exit(130));
    });
  }

  const shared = await startShared();
  const ctx: BenchContext = {
    shared,
    settings,
    baseline: (server = shared.temporalServer) => {
      if (!baselines.has(server.address)) baselines.set(server.address, startBaselineWorker(server.address));
      return baselines.get(server.address)!;
    },
    temporal: async (kind) => (kind === 'memory' ? shared.temporalServer : fileServer.get()),
    peer: () => (peer ??= startPeer()),
  };
  const all: ResultRow[] = [];
  let failures = 0;
  try {
    for (const [i, name] of settings.only.entries()) {
      console.log(`\n== ${name}`);
      if (i > 0 && settings.freshServers) {
        // Nothing a scenario left behind (workflows in memory, the server's work after a burst) weighs on the next.
        await stopBaselines();
        await fileServer.stop();
        await replaceMemoryServer(shared);
      }
      const rss = watchRss(shared.temporalServer.process.pid);
      const t0 = Date.now();
      try {
        const rows = await BENCHES[name](ctx);
        const peak = rss.stop();
        for (const row of rows) {
          row.rss = peak;
          if (rows.length > 1) console.log(`  -- ${row.bench}`);
          printRow(row);
          appendResult(startedAt, host, row);
          all.push(row);
        }
      } catch (err) {
        rss.stop();
        failures++;
        console.error(`  ${name} FAILED: ${(err as Error).stack ?? err}`);
      }
      console.log(`  (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
  } finally {
    await cleanUp();
  }
  console.log(`\nsummary (appended to ${RESULTS_FILE}):`);
  for (const row of all)
    console.log(
      `  ${row.bench.padEnd(24)} ${row.result.padEnd(34)} ratio ${row.ratio?.toFixed(2) ?? '-'}  ${row.met === undefined ? '' : row.met ? 'met' : 'MISSED'} (${row.target})`,
    );
  return failures > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
