import { loadConfig, type Config } from '../config';
import { createDb } from '../db/knex';
import { migrateToLatest } from '../db/migrate';
import { createLogger, type Logger } from '../logger';

export interface Base {
  config: Config;
  logger: Logger;
}

export function loadBase(): Base {
  const config = loadConfig();
  return { config, logger: createLogger(config.logLevel) };
}

/** Connects the database and brings its schema up to date. */
export async function openDatabase(config: Config) {
  const db = createDb(config.databaseUrl, config.dataDir);
  await migrateToLatest(db);
  return db;
}
