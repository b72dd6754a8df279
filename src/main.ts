import path from 'node:path';
import { buildApp } from './api/app';
import { serveApp } from './api/server';
import { createTemporalClient, ensureSearchAttributes } from './temporal/client';
import { startBackground } from './runtime/background';
import { loadBase, openDatabase } from './runtime/boot';
import { startDevServer } from './runtime/dev-temporal';
import { closeServer, exitOnStartupError, onShutdown } from './runtime/lifecycle';
import { ensureTemporalCli } from './runtime/temporal-cli';
import { startWorkers } from './worker';
import { superviseWorkerProcess } from './runtime/worker-process';
import { installSdkLogging } from './temporal/sdk-logging';

const DEV_TEMPORAL_PORT = 7233;
const DEV_CORS_ORIGINS = 'http://localhost:*,http://127.0.0.1:*,http://[::1]:*';

/**
 * Everything on one machine: Temporal's dev server (unless TEMPORAL_ADDRESS is set),
 * Postgres (embedded PGlite unless DATABASE_URL is set), the worker and the API.
 */
async function main(): Promise<void> {
  // The all-in-one dev setup accepts unsigned webhooks unless told otherwise (API and worker entry points do not),
  // and a frontend's dev server on any local port (3000, 5173...) may call it from the browser.
  const base = loadBase({ defaults: { ALLOW_UNAUTHENTICATED_WEBHOOKS: 'true', CORS_ORIGINS: DEV_CORS_ORIGINS } });
  const { logger } = base;
  let { config } = base;
  if (!config.webhooks.secret)
    logger.warn('WEBHOOK_SECRET is not set: POST /webhooks/360dialog/ accepts unauthenticated requests (dev only)');
  let devServer: Awaited<ReturnType<typeof startDevServer>> | undefined;
  if (!config.temporal.address) {
    const cliPath = ensureTemporalCli(config.temporal.cliPath, (line) => logger.info(line), config.temporal.python);
    devServer = await startDevServer({
      cliPath,
      port: DEV_TEMPORAL_PORT,
      uiPort: config.temporal.uiPort,
      dbFile: path.resolve(config.dataDir, 'temporal.db'),
      namespace: config.temporal.namespace,
      onRetry: (reason) => logger.warn({ reason }, 'the Temporal dev server exited while starting; trying again'),
    });
    // A new config that points at the server just started: the parsed one is never changed.
    config = { ...config, temporal: { ...config.temporal, address: devServer.address } };
    logger.info(
      { address: devServer.address, ui: `http://localhost:${config.temporal.uiPort}` },
      'Temporal dev server running',
    );
  }
  if (!config.databaseUrl)
    logger.info({ dir: path.resolve(config.dataDir, 'pglite') }, 'using embedded Postgres (PGlite)');

  installSdkLogging(logger);
  const db = await openDatabase(config, logger);
  const temporal = createTemporalClient(config.temporal);
  await ensureSearchAttributes(temporal);
  // With a shared Postgres the worker runs as a process of its own; PGlite lives inside this process, so it stays here.
  const workerApart = Boolean(config.databaseUrl) && config.workerProcess === 'separate';
  const workers = workerApart
    ? superviseWorkerProcess({ TEMPORAL_ADDRESS: config.temporal.address as string }, logger)
    : await startWorkers({ config, db, logger });
  // A worker process runs the outbox and inbox loops too: these give way to it while the API answers requests.
  const background = startBackground({ config, db, temporal, logger, givesWay: workerApart });
  const server = serveApp(buildApp({ config, db, temporal, logger, background }), config, () =>
    logger.info(
      { url: `http://localhost:${config.port}`, host: config.host, docs: `http://localhost:${config.port}/docs` },
      'API listening',
    ),
  );

  onShutdown(logger, [
    ['api', () => closeServer(server)],
    ['outbox and inbox', () => background.stop()],
    ['worker', () => workers.shutdown()],
    ['temporal client', () => temporal.connection.close()],
    ['database', () => db.destroy()],
    ['temporal dev server', async () => devServer?.stop()],
  ]);
}

main().catch(exitOnStartupError);
