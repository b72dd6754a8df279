import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, Runtime, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Knex } from 'knex';
import pino from 'pino';
import { buildApp } from '../../src/api/app';
import { serveApp } from '../../src/api/server';
import { createDb } from '../../src/db/knex';
import { createTemporalClient } from '../../src/temporal/client';
import { loadConfig, temporalCliSettings, type Config } from '../../src/config';
import { OUTBOX_CHANNEL } from '../../src/db/repositories/outbox';
import { INBOX_CHANNEL } from '../../src/db/repositories/webhook-inbox';
import { createInboxBatcher } from '../../src/inbox/batcher';
import { createNotifier } from '../../src/outbox/wakeup';
import { startBackground, type Background } from '../../src/runtime/background';
import { closeServer } from '../../src/runtime/lifecycle';
import { startDevServer, type DevServer } from '../../src/runtime/dev-temporal';
import { ensureTemporalCli } from '../../src/runtime/temporal-cli';
import { startWorkers, workflowsPath, type RunningWorkers } from '../../src/worker';
import { applyGroupCapacity } from '../../src/services/groups';
import { Fake360Dialog } from '../fakes/fake-360dialog';
import { createTestDatabase, truncateAll, type TestDatabase } from './database';
import { freePort } from './http-server';
import { inParallelWorker, noteWorkerServices } from './parallel-run';

/** What every test file shares: one Temporal dev server, one database, one workflow bundle. */
export interface Shared {
  temporalServer: DevServer;
  database: TestDatabase;
  bundle: WorkflowBundleWithSourceMap;
}

let shared: Shared | undefined;

/** Once per process: a parallel run's worker keeps its services for every file it runs. */
export async function startShared(): Promise<Shared> {
  if (shared) return shared;
  // The native core's own retries (e.g. while a fault test has Temporal stopped) are WARN lines on stderr otherwise.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } },
  });
  const cliPath = ensureTemporalCli(temporalCliSettings().cliPath);
  const [temporalServer, database, bundle] = await Promise.all([
    freePort().then((port) => startDevServer({ cliPath, port, headless: true, onRetry: warnRetry })),
    createTestDatabase(),
    bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: new DefaultLogger('WARN') }),
  ]);
  shared = { temporalServer, database, bundle };
  if (inParallelWorker())
    noteWorkerServices({ temporalPid: temporalServer.process.pid, database: database.name }, () =>
      temporalServer.process.kill('SIGKILL'),
    );
  return shared;
}

/** Shown, so that a flaky start is seen even when the retry saves the run. */
export function warnRetry(reason: string): void {
  console.warn(`the Temporal dev server exited while starting; trying again:\n${reason.slice(0, 2_000)}`);
}

export async function stopShared(): Promise<void> {
  if (!shared) return;
  await shared.database.drop();
  await shared.temporalServer.stop();
  shared = undefined;
}

export const emptyTables = truncateAll;

export function getShared(): Shared {
  if (!shared) throw new Error('the shared test services are not started (root hooks)');
  return shared;
}

export interface TestSystem {
  config: Config;
  db: Knex;
  temporal: Client;
  fake: Fake360Dialog;
  baseUrl: string;
  worker?: RunningWorkers;
  /** The API's outbox dispatcher and inbox processor. */
  background: Background;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

const silentLogger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/**
 * API + worker + fake 360Dialog against the shared Temporal and Postgres. Each system gets
 * its own task queue, so a test can run one with its own rate cap without disturbing others.
 */
export interface SystemOptions {
  worker?: boolean;
  /** The API's Temporal client as in production (lazy: starts while Temporal is down, reconnects by itself). */
  lazyTemporal?: boolean;
  /** The API gets its own Knex pool on DATABASE_URL (e.g. through a proxy) instead of the shared one. */
  ownDatabase?: boolean;
  /** false: this API runs no outbox dispatcher nor inbox processor (fault tests leave that work to an API process). */
  background?: boolean;
  /** The API's loops give way to a worker process's while it answers requests, as with a worker apart. */
  givesWay?: boolean;
}

/** The webhook's group commit without the loops that would take the work from another process. */
function idleBackground(db: Knex, databaseUrl: string): Background {
  // Like an API process's writes, they wake the loops of the process that runs them.
  const notify = createNotifier(db, databaseUrl, silentLogger);
  return {
    wakeOutbox: () => notify(OUTBOX_CHANNEL),
    inbox: createInboxBatcher(db, () => notify(INBOX_CHANNEL)),
    stop: async () => undefined,
  };
}

export async function startSystem(
  env: Record<string, string> = {},
  {
    worker = true,
    lazyTemporal = false,
    ownDatabase = false,
    background: loops = true,
    givesWay = false,
  }: SystemOptions = {},
): Promise<TestSystem> {
  const { temporalServer, database, bundle } = getShared();
  const fake = await new Fake360Dialog().start();
  const config = loadConfig({
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporalServer.address,
    TEMPORAL_TASK_QUEUE: `test-${randomBytes(4).toString('hex')}`,
    D360_API_URL: fake.url,
    D360_API_KEY: fake.apiKey,
    D360_MAX_MESSAGES_PER_SECOND: '1000',
    D360_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'silent',
    WEBHOOK_SECRET: 'test-webhook-secret',
    // The templates-sync workflow starts with the worker only where a test asks for it (it calls the fake).
    TEMPLATE_SYNC_INTERVAL: 'off',
    // Tests send to one number in bursts; the pair rate has its own test (send-limits.test.ts).
    PAIR_RATE_SECONDS: '0',
    ...env,
  });
  const temporal = lazyTemporal
    ? createTemporalClient(config.temporal)
    : new Client({
        connection: await Connection.connect({ address: temporalServer.address }),
        namespace: config.temporal.namespace,
      });
  const apiDb = ownDatabase ? createDb(config.databaseUrl, 'unused', silentLogger) : database.db;
  // Like the entry points' openDatabase: the groups Postgres creates get this system's GROUP_CAPACITY.
  await applyGroupCapacity(database.db, config.groupCapacity);
  const background = loops
    ? startBackground({ config, db: apiDb, temporal, logger: silentLogger, givesWay })
    : idleBackground(apiDb, config.databaseUrl as string);
  // As the entry points serve it (header bound, HOST), on a free port.
  const server: Server = serveApp(buildApp({ config, db: apiDb, temporal, logger: silentLogger, background }), {
    port: 0,
    host: config.host,
  });
  await new Promise((resolve) => server.once('listening', resolve));

  const system: TestSystem = {
    config,
    db: apiDb,
    temporal,
    fake,
    background,
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async startWorker() {
      system.worker = await startWorkers({ config, db: database.db, logger: silentLogger, workflowBundle: bundle });
    },
    async stopWorker() {
      await system.worker?.shutdown();
      system.worker = undefined;
    },
    async stop() {
      await system.stopWorker();
      await closeServer(server);
      await background.stop();
      await temporal.connection.close();
      if (ownDatabase) await apiDb.destroy();
      await fake.stop();
    },
  };
  if (worker) await system.startWorker();
  return system;
}
