import { loadBase, openDatabase } from '../runtime/boot';
import { exitOnStartupError } from '../runtime/lifecycle';

/** `npm run migrate`: brings the schema up to date and exits (the API and worker also do it on start). */
async function main(): Promise<void> {
  const { config, logger } = loadBase({ servesWebhooks: false });
  const db = await openDatabase(config, logger);
  await db.destroy();
  logger.info('database schema is up to date');
}

main().catch(exitOnStartupError);
