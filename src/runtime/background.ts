import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Config } from '../config';
import { OUTBOX_CHANNEL } from '../db/repositories/outbox';
import { createWebhookInboxRepository, INBOX_CHANNEL } from '../db/repositories/webhook-inbox';
import { createInboxBatcher, type InboxBatcher } from '../inbox/batcher';
import { createInboxPass } from '../inbox/processor';
import type { Logger } from '../logger';
import { createOutboxPass } from '../outbox/dispatcher';
import { startLoop } from '../outbox/loop';
import { createNotifier, startListener } from '../outbox/wakeup';
import { createRequestsInFlight, type RequestsInFlight } from './requests-in-flight';

/** Polling is the fallback to LISTEN/NOTIFY (and all there is on PGlite). */
const POLL_MS = 1_000;
/** A process that gives way goes on giving way this long after its last request (no churn between two requests). */
const GIVE_WAY_MS = 250;
/** Processed inbox rows are kept this long to recognise 360Dialog's retries as duplicates. */
const INBOX_KEEP_MS = 24 * 3_600_000;
const PRUNE_EVERY_MS = 10 * 60_000;

/** What the API's routes use of the background loops. */
export interface Background {
  /** Start the outbox entries this process just committed now rather than at the next notification. */
  wakeOutbox(): void;
  /** The webhook's group commit. */
  inbox: InboxBatcher;
  /** Counts the requests this process answers (the dispatcher gives way to them). */
  requests?: RequestsInFlight;
  stop(): Promise<void>;
}

/**
 * The loops every API process runs beside its routes: the outbox dispatcher (workflow starts)
 * and the inbox processor (webhook events), both sharing work across processes through
 * SKIP LOCKED, woken by this process's own writes and by the others' (LISTEN/NOTIFY, one NOTIFY
 * per short batch of commits), polling as a fallback. Worker processes run the same loops; an
 * API process whose workers run apart (`givesWay`) leaves the work to theirs while it answers
 * requests, so its event loop serves the requests, and takes its share again once it is idle.
 */
export function startBackground({
  config,
  db,
  temporal,
  logger,
  givesWay = false,
}: {
  config: Config;
  db: Knex;
  temporal: Client;
  logger: Logger;
  /** Worker processes of their own run these loops too (npm start with DATABASE_URL, docker-compose.yml). */
  givesWay?: boolean;
}): Background {
  const listener = startListener(config.databaseUrl, logger);
  const notify = createNotifier(db, config.databaseUrl, logger);
  const requests = createRequestsInFlight();
  const givingWay = () => givesWay && requests.busy(GIVE_WAY_MS);
  const dispatcher = createOutboxPass(db, temporal, logger, () => requests.count, givingWay);
  const outbox = startLoop('outbox dispatcher', dispatcher.dispatchOutbox, POLL_MS, logger);
  // This process's own commits wake its loop at once; the NOTIFY lets the other processes share the work.
  const wakeOutbox = () => {
    outbox.wake();
    notify(OUTBOX_CHANNEL);
  };
  const inboxPass = createInboxPass(
    db,
    config.temporal.taskQueue,
    logger,
    wakeOutbox,
    config.rules.marketingCapRetryMs,
  );
  const inboxLoop = startLoop('inbox processor', async () => !givingWay() && inboxPass(), POLL_MS, logger);
  listener.on(OUTBOX_CHANNEL, outbox.wake);
  listener.on(INBOX_CHANNEL, inboxLoop.wake);
  const inbox = createInboxBatcher(db, () => {
    inboxLoop.wake();
    notify(INBOX_CHANNEL);
  });
  const prune = setInterval(() => {
    createWebhookInboxRepository(db)
      .prune(INBOX_KEEP_MS)
      .catch((err) => logger.debug({ err }, 'could not prune the webhook inbox; trying later'));
  }, PRUNE_EVERY_MS);
  prune.unref();

  return {
    wakeOutbox,
    inbox,
    requests,
    async stop() {
      clearInterval(prune);
      await listener.stop();
      await Promise.all([outbox.stop(), inboxLoop.stop()]);
      await dispatcher.settled();
    },
  };
}
