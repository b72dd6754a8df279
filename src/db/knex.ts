import path from 'node:path';
import { knex, type Knex } from 'knex';
import ClientPgLite from 'knex-pglite';
import { types } from 'pg';

export type Db = Knex;

// bigint ids and counts fit comfortably in a JS number for this product's scale.
types.setTypeParser(types.builtins.INT8, (value) => Number(value));

/**
 * Postgres when DATABASE_URL is set; otherwise an embedded PGlite (real Postgres compiled
 * to WebAssembly) persisted under the data folder, so a fresh machine needs no install.
 */
export function createDb(databaseUrl: string | undefined, dataDir: string): Db {
  if (databaseUrl) {
    return knex({ client: 'pg', connection: databaseUrl, pool: { min: 0, max: 10 }, acquireConnectionTimeout: 5_000 });
  }
  return knex({
    client: ClientPgLite,
    dialect: 'postgres',
    connection: { filename: path.resolve(dataDir, 'pglite') },
  } as Knex.Config);
}

export const isEmbedded = (databaseUrl: string | undefined) => !databaseUrl;
