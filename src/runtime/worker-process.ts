import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Logger } from '../logger';

/** Longer than the worker's own shutdown grace (30 s), so its activities in flight can finish. */
const STOP_GRACE_MS = 45_000;
const RESTART_MIN_MS = 1_000;
const RESTART_MAX_MS = 30_000;
/** A worker that ran this long before it died is restarted at once rather than after a growing pause. */
const HEALTHY_RUN_MS = 60_000;

export interface WorkerProcess {
  shutdown(): Promise<void>;
}

/** src/worker-main.ts under tsx (npm start), dist/src/worker-main.js once compiled. */
const workerEntry = () => path.join(__dirname, '..', `worker-main${path.extname(__filename)}`);

/**
 * The worker as a process of its own beside the API (as docker-compose.yml runs them): two event
 * loops, so a broadcast's sends and the auto-replies never hold up an API answer or a webhook's
 * commit. It gets this process's environment plus `env`, its output goes to this terminal, and
 * it is started again when it dies, until shutdown().
 */
export function superviseWorkerProcess(env: Record<string, string>, logger: Logger): WorkerProcess {
  let child: ChildProcess | undefined;
  let stopping = false;
  let restartDelay = RESTART_MIN_MS;
  let restartTimer: NodeJS.Timeout | undefined;

  const start = () => {
    const startedAt = Date.now();
    const current = fork(workerEntry(), [], { env: { ...process.env, ...env }, stdio: 'inherit' });
    child = current;
    logger.info({ workerPid: current.pid }, 'worker process started');
    current.once('exit', (code, signal) => {
      if (stopping) return;
      if (Date.now() - startedAt >= HEALTHY_RUN_MS) restartDelay = RESTART_MIN_MS;
      logger.error({ code, signal, restartInMs: restartDelay }, 'the worker process exited; starting it again');
      restartTimer = setTimeout(start, restartDelay);
      restartDelay = Math.min(restartDelay * 2, RESTART_MAX_MS);
    });
  };
  start();
  // Ctrl-C reaches the worker too (one process group): its exit then is no crash to restart from.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void (stopping = true));

  return {
    async shutdown() {
      stopping = true;
      clearTimeout(restartTimer);
      const current = child;
      if (!current || current.exitCode !== null || current.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => current.once('exit', () => resolve()));
      current.kill('SIGTERM');
      const force = setTimeout(() => current.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(force);
    },
  };
}
