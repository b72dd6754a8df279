import path from 'node:path';
import { createTemporalClient, ensureSearchAttributes } from './temporal/client';
import { loadBase, openDatabase } from './runtime/boot';
import { closeServer, exitOnStartupError, onShutdown } from './runtime/lifecycle';
import { serveWorkerMetrics } from './metrics/server';
import { startWorkers, workflowsPath } from './worker';
import { chooseWorkflowBundle } from './runtime/workflow-bundle';
import { installSdkLogging } from './temporal/sdk-logging';
import { startBackground } from './runtime/background';

/** The worker alone: run as many as the send volume needs; the rate cap holds across all of them. */
async function main(): Promise<void> {
  const { config, logger } = loadBase({ servesWebhooks: false });
  if (!config.databaseUrl) throw new Error('DATABASE_URL: required when the worker runs apart from the API');
  installSdkLogging(logger);
  const db = await openDatabase(config, logger);
  const temporal = createTemporalClient(config.temporal);
  await ensureSearchAttributes(temporal);
  const bundle = chooseWorkflowBundle(config.temporal.workflowBundle, path.dirname(workflowsPath()));
  logger.info({ workflowBundle: bundle.codePath ?? null }, `workflow code: ${bundle.reason}`);
  const workflowBundle = bundle.codePath ? { codePath: bundle.codePath } : undefined;
  const workers = await startWorkers({ config, db, logger, workflowBundle });
  // The outbox dispatcher and the inbox processor, shared with the API processes (which give way to these while busy).
  const background = startBackground({ config, db, temporal, logger });
  const metrics = config.workerMetricsPort
    ? await serveWorkerMetrics(config.workerMetricsPort, {
        host: config.host,
        tokens: [config.apiKey, config.metricsToken],
      })
    : undefined;
  if (metrics) logger.info({ port: config.workerMetricsPort }, 'worker metrics at /metrics');
  onShutdown(logger, [
    ['outbox and inbox', () => background.stop()],
    ['worker', () => workers.shutdown()],
    ['temporal client', () => temporal.connection.close()],
    ['metrics', async () => metrics && closeServer(metrics)],
    ['database', () => db.destroy()],
  ]);
  // Run by npm start (src/main.ts): when that process is gone, so is the reason to run.
  if (process.connected) process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  await workers.done;
}

main().catch(exitOnStartupError);
