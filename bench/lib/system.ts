import { startWorkerProcess, type EntryProcess } from '../../test/helpers/child-process';
import { startSystem, type TestSystem } from '../../test/helpers/system';

/** What startSystem sets for its in-process worker that a worker process must be told too. */
const SYSTEM_DEFAULTS = { TEMPLATE_SYNC_INTERVAL: 'off', PAIR_RATE_SECONDS: '0' };

/**
 * The product as it runs: the API in this process, the worker (with the outbox dispatcher and
 * inbox processor that the API's give way to while it answers requests) in a process of its own,
 * as `npm start` and docker-compose.yml run them.
 * BENCH_WORKER=inline keeps the worker in this process (one event loop for everything).
 */
export async function startBenchSystem(env: Record<string, string> = {}): Promise<TestSystem> {
  if (process.env.BENCH_WORKER === 'inline') return startSystem(env);
  const system = await startSystem(env, { worker: false, givesWay: true });
  let worker: EntryProcess | undefined;
  try {
    worker = await startWorkerProcess(system.config, { ...SYSTEM_DEFAULTS, LOG_LEVEL: 'info', ...env });
  } catch (err) {
    await system.stop();
    throw err;
  }
  const stopSystem = system.stop.bind(system);
  system.stop = async () => {
    await worker?.stop('SIGTERM');
    await stopSystem();
  };
  return system;
}
