import { loadProcessConfig, type Config, type LoadOptions } from '../config';
import { createDb } from '../db/knex';
import { migrateToLatest } from '../db/migrate';
import { createLogger, type Logger } from '../logger';
import { applyGroupCapacity } from '../services/groups';

export interface Base {
  config: Config;
  logger: Logger;
}

export function loadBase(options: LoadOptions = {}): Base {
  const config = loadProcessConfig(options);
  // Readable lines when a person watches the terminal (npm start); JSON when piped or collected.
  return { config, logger: createLogger(config.logLevel, { pretty: process.stdout.isTTY === true }) };
}

/** Connects the database, brings its schema up to date and hands it GROUP_CAPACITY (for the groups it creates). */
export async function openDatabase(config: Config, logger?: Logger) {
  const db = createDb(config.databaseUrl, config.dataDir, logger, config.databasePoolMax);
  await migrateToLatest(db);
  await applyGroupCapacity(db, config.groupCapacity);
  return db;
}
