import pino, { type Logger } from 'pino';
import pinoPretty from 'pino-pretty';

export type { Logger };

export interface LoggerOptions {
  /** One coloured line per event for a person at a terminal; otherwise JSON lines for log collectors. */
  pretty?: boolean;
  /** Where the lines go; standard output unless a test captures them. */
  destination?: NodeJS.WritableStream;
}

/**
 * JSON lines by default. On a terminal (`npm start`), pino-pretty formats in-process (a stream,
 * not a worker-thread transport), so the last lines before an exit are never lost.
 */
export function createLogger(level: string, { pretty = false, destination }: LoggerOptions = {}): Logger {
  const options = { level, base: { service: 'wa-automation' } };
  if (!pretty) return destination ? pino(options, destination) : pino(options);
  return pino(
    options,
    pinoPretty({
      colorize: !destination,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,service',
      destination,
      sync: true,
    }),
  );
}
