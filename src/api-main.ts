import { buildApp } from './api/app';
import { createTemporalClient } from './temporal/client';
import { loadBase, openDatabase } from './runtime/boot';
import { closeServer, exitOnStartupError, onShutdown } from './runtime/lifecycle';

/** The API alone, for production where API and workers scale apart. */
async function main(): Promise<void> {
  const { config, logger } = loadBase();
  const db = await openDatabase(config, logger);
  const temporal = createTemporalClient(config.temporal);
  const server = buildApp({ config, db, temporal, logger }).listen(config.port, () => logger.info({ port: config.port }, 'API listening'));
  onShutdown(logger, [
    ['api', () => closeServer(server)],
    ['temporal client', () => temporal.connection.close()],
    ['database', () => db.destroy()],
  ]);
}

main().catch(exitOnStartupError);
