import { buildApp } from './api/app';
import { serveApp } from './api/server';
import { createTemporalClient } from './temporal/client';
import { startBackground } from './runtime/background';
import { loadBase, openDatabase } from './runtime/boot';
import { closeServer, exitOnStartupError, onShutdown } from './runtime/lifecycle';

/** The API alone, for production where API and workers scale apart. */
async function main(): Promise<void> {
  const { config, logger } = loadBase();
  const db = await openDatabase(config, logger);
  const temporal = createTemporalClient(config.temporal);
  // Worker processes run the outbox and inbox loops too: this one gives way to them while it answers requests.
  const background = startBackground({ config, db, temporal, logger, givesWay: true });
  const server = serveApp(buildApp({ config, db, temporal, logger, background }), config, () =>
    logger.info({ port: config.port, host: config.host }, 'API listening'),
  );
  onShutdown(logger, [
    ['api', () => closeServer(server)],
    ['outbox and inbox', () => background.stop()],
    ['temporal client', () => temporal.connection.close()],
    ['database', () => db.destroy()],
  ]);
}

main().catch(exitOnStartupError);
