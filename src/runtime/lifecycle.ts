import type { Server } from 'node:http';
import type { Logger } from '../logger';

type Step = [name: string, stop: () => Promise<unknown>];

/** Runs the shutdown steps in order once, on SIGINT or SIGTERM, then exits. */
export function onShutdown(logger: Logger, steps: Step[]): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    for (const [name, step] of steps) {
      try {
        await step();
        logger.info({ step: name }, `stopped ${name}`);
      } catch (err) {
        logger.error({ err }, `could not stop ${name}`);
      }
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/** Within the API's stop_grace_period (30 s in docker-compose.yml), with room to close the rest. */
export const DRAIN_MS = 20_000;

/**
 * Stops accepting connections and lets the requests in flight finish: a keep-alive connection
 * is closed as soon as it is idle (after its response), and whatever still runs after
 * `drainMs` is cut so that shutdown always ends.
 */
export const closeServer = (server: Server, drainMs = DRAIN_MS) =>
  new Promise<void>((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    const force = setTimeout(() => server.closeAllConnections(), drainMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });

/** Start-up errors end the process with a message a person can act on. */
export function exitOnStartupError(err: unknown): never {
  process.stderr.write(`wa-automation could not start: ${(err as Error).message ?? err}\n`);
  process.exit(1);
}
