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
      } catch (err) {
        logger.error({ err }, `could not stop ${name}`);
      }
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

export const closeServer = (server: Server) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });

/** Start-up errors end the process with a message a person can act on. */
export function exitOnStartupError(err: unknown): never {
  process.stderr.write(`wa-automation could not start: ${(err as Error).message ?? err}\n`);
  process.exit(1);
}
