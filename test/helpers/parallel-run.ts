import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as Database from './database';

/**
 * `mocha --parallel` runs test files in worker processes, and each worker starts its own Temporal dev server and
 * database once (workflow ids count up per database, so two workers must not share a namespace). A worker is
 * ended by the pool, not by a hook, so it notes what it started here and the main process cleans up after it.
 */
export const inParallelWorker = () => process.env.MOCHA_WORKER_ID !== undefined;

const runDir = (mainPid: number) => path.join(tmpdir(), `wa-test-run-${mainPid}`);

interface WorkerServices {
  temporalPid?: number;
  database: string;
}

/** In a worker: note the services for the main process, and stop the dev server when the worker exits. */
export function noteWorkerServices(services: WorkerServices, killServer: () => void): void {
  const dir = runDir(process.ppid);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify(services));
  process.once('exit', killServer);
}

/** In the main process, after every file: stops the workers' dev servers if still running, drops their databases. */
export async function cleanUpAfterWorkers(): Promise<void> {
  const dir = runDir(process.pid);
  if (!existsSync(dir)) return;
  const noted = readdirSync(dir).map(
    (file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as WorkerServices,
  );
  // Required here, not at the top: root-hooks.ts imports this module, and a unit run should not load Knex.
  const { adminConnection } = require('./database') as typeof Database;
  const admin = adminConnection();
  try {
    for (const { temporalPid, database } of noted) {
      try {
        if (temporalPid) process.kill(temporalPid, 'SIGKILL');
      } catch {
        // already gone with its worker
      }
      await admin.raw(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    }
  } finally {
    await admin.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
