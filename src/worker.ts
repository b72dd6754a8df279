import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createActivities } from '../activities';
import { sendTaskQueueFor } from '../workflows/definitions';
import { eventTaskQueueFor } from '../workflows/event-delivery-definitions';
import type { Config } from './config';
import type { Logger } from './logger';
import { timedD360Client } from './metrics/d360';
import { createD360Client } from './providers/d360/client';
import { connectionOptions } from './temporal/client';
import { ensureWordPressSync } from './temporal/start-sync';
import { ensureTemplatesSync } from './temporal/start-templates-sync';
import { createD360TemplatesClient } from './providers/d360/templates-client';

export interface WorkerDeps {
  config: Config;
  db: Knex;
  logger: Logger;
  /** Prebuilt workflow code (tests and production); otherwise bundled from workflows/ at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export interface RunningWorkers {
  done: Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * On SIGTERM the workers stop polling and let the activities in flight finish (a send's
 * 360Dialog call is at most D360_TIMEOUT_MS), so a stopped worker sends nothing twice.
 * Inside the worker's stop_grace_period (60 s in docker-compose.yml).
 */
const SHUTDOWN_GRACE = '30s';
const SEND_WORKER_CONCURRENCY = 2_000;
const EVENT_WORKER_CONCURRENCY = 50;

export const workflowsPath = () => require.resolve('../workflows');

/**
 * Two workers: one for workflows and database activities, one for the WhatsApp calls
 * (single sends and broadcast chunks) on their own task queue. The rate cap is held by
 * Postgres send slots shared by every worker, with the server's task-queue limit in front.
 */
export async function startWorkers({ config, db, logger, workflowBundle }: WorkerDeps): Promise<RunningWorkers> {
  const connection = await NativeConnection.connect(connectionOptions(config.temporal));
  const d360 = timedD360Client(createD360Client(config.d360));
  if (!d360.configured) logger.warn('D360_API_KEY is not set: messages will fail with code not_configured');
  const stopping = new AbortController();
  const activities = createActivities({
    db,
    stopSignal: stopping.signal,
    d360,
    maxMessagesPerSecond: config.d360.maxMessagesPerSecond,
    serviceWindowPolicy: config.rules.serviceWindowPolicy,
    allowUsMarketing: config.rules.allowUsMarketing,
    pairRateSeconds: config.rules.pairRateSeconds,
    marketingCapRetryMs: config.rules.marketingCapRetryMs,
    rules: config.rules,
    templatesClient: createD360TemplatesClient(config.d360),
    templateSyncIntervalMs: config.rules.templateSyncIntervalMs,
    wordpress: config.wordpress,
    defaultPhoneRegion: config.defaultPhoneRegion,
    taskQueue: config.temporal.taskQueue,
    inbound: config.inbound,
    eventWebhooks: config.eventWebhooks,
  });
  const { namespace, taskQueue } = config.temporal;

  const main = await Worker.create({
    connection,
    namespace,
    taskQueue,
    activities,
    shutdownGraceTime: SHUTDOWN_GRACE,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: workflowsPath() }),
  });
  const sends = await Worker.create({
    connection,
    namespace,
    taskQueue: sendTaskQueueFor(taskQueue),
    activities: { deliverChunk: activities.deliverChunk, deliverWhenDue: activities.deliverWhenDue },
    // Sends start a few seconds before their time and wait in-process; those idle waits are cheap.
    maxConcurrentActivityTaskExecutions: SEND_WORKER_CONCURRENCY,
    shutdownGraceTime: SHUTDOWN_GRACE,
    maxTaskQueueActivitiesPerSecond: config.d360.maxMessagesPerSecond,
  });

  // Event webhooks on a worker of their own: a slow subscriber holds only these slots.
  const events = await Worker.create({
    connection,
    namespace,
    taskQueue: eventTaskQueueFor(taskQueue),
    activities: { deliverDueEvents: activities.deliverDueEvents },
    maxConcurrentActivityTaskExecutions: EVENT_WORKER_CONCURRENCY,
    shutdownGraceTime: SHUTDOWN_GRACE,
  });

  const done = Promise.all([main.run(), sends.run(), events.run()]).then(() => connection.close());
  logger.info({ taskQueue, namespace }, 'worker polling');
  await ensureWordPressSync(connection, config, logger);
  await ensureTemplatesSync(connection, config, logger);
  return {
    done,
    async shutdown() {
      stopping.abort();
      for (const worker of [main, sends, events]) if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
