import path from 'node:path';
import { knex, type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { types } from 'pg';
import type { Logger } from '../logger';

export type Db = Knex;

// bigint ids and counts fit comfortably in a JS number for this product's scale.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

/**
 * A connect that has not completed by then is a host that is gone (a refused one fails at
 * once): the request gets its 503 in ~2 s instead of waiting out the pool's acquire timeout,
 * which stays longer so that a busy pool is not mistaken for a dead database.
 */
export const CONNECT_TIMEOUT_MS = 2_000;
export const ACQUIRE_TIMEOUT_MS = 5_000;

// keepAlive lets the OS notice a peer that vanished without closing, so idle pooled connections die.
const pgConnection = (connectionString: string) => ({
  connectionString,
  connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  keepAlive: true,
});

/** Knex's pool complaints (a connection lost, a connect refused) as structured log lines instead of console output. */
const knexLog = (logger: Logger): Knex.Logger => ({
  warn: (message) => logger.warn({ knex: String(message) }, 'database connection problem'),
  error: (message) => logger.error({ knex: String(message) }, 'database error'),
  deprecate: (method, alternative) => logger.warn({ method, alternative }, 'knex deprecation'),
  debug: (message) => logger.debug({ knex: message }, 'knex'),
});

/**
 * Postgres when DATABASE_URL is set; otherwise an embedded PGlite (real Postgres compiled
 * to WebAssembly) persisted under the data folder, so a fresh machine needs no install.
 */
/**
 * A POST holds a connection for two short statements; the pool is shared with the outbox and inbox loops
 * (and, under `npm start`, the worker).
 */
export const DEFAULT_POOL_MAX = 20;

export function createDb(
  databaseUrl: string | undefined,
  dataDir: string,
  logger?: Logger,
  poolMax = DEFAULT_POOL_MAX,
): Db {
  if (databaseUrl) {
    return knex({
      client: 'pg',
      connection: pgConnection(databaseUrl),
      pool: { min: 0, max: poolMax },
      acquireConnectionTimeout: ACQUIRE_TIMEOUT_MS,
      ...(logger ? { log: knexLog(logger) } : {}),
    });
  }
  return knex({
    client: ClientPgLite,
    dialect: 'postgres',
    connection: { filename: path.resolve(dataDir, 'pglite') },
  } as Knex.Config);
}

export const isEmbedded = (databaseUrl: string | undefined) => !databaseUrl;
