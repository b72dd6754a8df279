import { startShared, stopShared } from '../../test/helpers/system';
import { startBaselineWorker } from '../lib/baseline-worker';
import { runConcurrently } from '../lib/pool';
import { perSecond, spread } from '../lib/stats';

/*
 * `npx tsx bench/probes/start-concurrency.ts`: bare client.workflow.start of a one-timer
 * workflow at rising concurrency on a fresh dev server. Throughput that stops growing while
 * latency grows in step with concurrency means the starts are served one at a time (the
 * dev server's SQLite); the plateau is the engine's ceiling on this machine.
 */
async function main() {
  const shared = await startShared();
  const baseline = await startBaselineWorker(shared.temporalServer.address);
  try {
    const n = Number(process.env.PROBE_N ?? 400);
    for (const concurrency of [1, 4, 16, 32, 64]) {
      const { latencies, wallMs } = await runConcurrently(n, concurrency, async (i) => {
        await baseline.client.workflow.start('benchWait', {
          taskQueue: baseline.taskQueue,
          workflowId: `probe-${concurrency}-${i}-${Date.now()}`,
          args: [86_400_000],
        });
      });
      const s = spread(latencies);
      console.log(
        `concurrency ${String(concurrency).padStart(2)}: ${perSecond((n / wallMs) * 1000).padStart(7)}, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms`,
      );
    }
  } finally {
    await baseline.stop();
    await stopShared();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
