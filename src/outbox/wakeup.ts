import type { Knex } from 'knex';
import { Client } from 'pg';
import { notifyChannel } from '../db/repositories/notifications';
import type { Logger } from '../logger';

const RECONNECT_MS = 2_000;

/** Wakes the loops of this process when another process (or this one) NOTIFYs that it wrote to a channel's table. */
export interface Listener {
  on(channel: string, wake: () => void): void;
  stop(): Promise<void>;
}

/**
 * One dedicated connection that LISTENs on every channel and reconnects when it drops. It only
 * shortens the wait: each loop also polls, so a lost notification or a listener that is down
 * (or PGlite, which has one connection and gets no listener) costs at most a poll interval.
 */
export function startListener(databaseUrl: string | undefined, logger: Logger): Listener {
  const wakers = new Map<string, (() => void)[]>();
  let client: Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async () => {
    if (stopped || !databaseUrl) return;
    const next = new Client({ connectionString: databaseUrl, keepAlive: true, connectionTimeoutMillis: 2_000 });
    const again = () => {
      if (client !== next) return;
      client = undefined;
      next.end().catch(() => undefined);
      if (!stopped) retry = setTimeout(() => void connect(), RECONNECT_MS);
    };
    next.on('error', (err) => {
      logger.debug({ err }, 'the LISTEN connection failed; polling until it is back');
      again();
    });
    next.on('end', again);
    next.on('notification', (message) => {
      for (const wake of wakers.get(message.channel) ?? []) wake();
    });
    client = next;
    try {
      await next.connect();
      for (const channel of wakers.keys()) await next.query(`LISTEN ${channel}`);
      // Anything inserted while we were not listening is found now rather than at the next poll.
      for (const list of wakers.values()) for (const wake of list) wake();
    } catch (err) {
      logger.debug({ err }, 'could not LISTEN; polling until it works');
      again();
    }
  };

  const started = Promise.resolve().then(connect);
  return {
    on(channel, wake) {
      if (!/^\w+$/.test(channel)) throw new Error(`bad channel name ${channel}`);
      wakers.set(channel, [...(wakers.get(channel) ?? []), wake]);
    },
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await started;
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}

/** How long notifications to one channel are gathered into one NOTIFY. */
const NOTIFY_BATCH_MS = 20;

/**
 * Tells the other processes' loops that work was committed: at most one NOTIFY per channel every
 * NOTIFY_BATCH_MS, outside the writers' transactions. A NOTIFY inside each writing transaction
 * would serialise the commits (Postgres queues it under a database-wide lock held through the
 * commit). The writing process wakes its own loop directly. No-op on PGlite (no other process).
 */
export function createNotifier(db: Knex, databaseUrl: string | undefined, logger: Logger): (channel: string) => void {
  const due = new Set<string>();
  return (channel) => {
    if (!databaseUrl || due.has(channel)) return;
    due.add(channel);
    setTimeout(() => {
      due.delete(channel);
      notifyChannel(db, channel).catch((err: unknown) =>
        logger.debug({ err, channel }, 'could not NOTIFY; the other processes poll'),
      );
    }, NOTIFY_BATCH_MS).unref();
  };
}
