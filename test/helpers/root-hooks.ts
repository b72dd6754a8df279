import path from 'node:path';
import { cleanUpAfterWorkers, inParallelWorker } from './parallel-run';
import type * as System from './system';

/** Tiers whose tests need no shared Temporal dev server and no test database. */
const SELF_CONTAINED_TIERS = ['unit', 'workflows'].map((tier) => path.resolve(__dirname, '..', tier) + path.sep);

function testFiles(suite: Mocha.Suite, files = new Set<string>()): Set<string> {
  if (suite.file) files.add(suite.file);
  for (const test of suite.tests) if (test.file) files.add(test.file);
  for (const child of suite.suites) testFiles(child, files);
  return files;
}

/** Whether this run loaded any file outside the self-contained tiers (e.g. `npx mocha test/api/x.test.ts`). */
function needsServices(root: Mocha.Suite): boolean {
  return [...testFiles(root)].some((file) => !SELF_CONTAINED_TIERS.some((tier) => path.resolve(file).startsWith(tier)));
}

let loaded: typeof System | undefined;

/** Loaded on demand, not at the top: the Temporal worker and Knex modules alone take seconds to load. */
function services(): typeof System {
  // A lazy require: import() does not resolve .ts files under tsx/cjs.
  loaded ??= require('./system') as typeof System;
  return loaded;
}

/**
 * One Temporal dev server and one database for the whole run (for each worker process under --parallel),
 * started only when the run has api/, e2e/ or faults/ files: `npm run test:unit` starts nothing and runs in seconds.
 */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    const root = this.test?.parent;
    if (root && !needsServices(root)) return;
    this.timeout(180_000);
    const { database } = await services().startShared();
    // A parallel worker runs this per file: each file starts on empty tables, whichever ran before it in this worker.
    if (inParallelWorker()) await loaded?.emptyTables(database.db);
  },
  async afterAll(this: Mocha.Context) {
    this.timeout(60_000);
    // A parallel worker runs hooks per file but keeps its services for the next one (see parallel-run.ts).
    if (loaded && !inParallelWorker()) await loaded.stopShared();
  },
};

/** Main process only, once after the whole run: what parallel workers started and could not stop themselves. */
export async function mochaGlobalTeardown(): Promise<void> {
  await cleanUpAfterWorkers();
}
