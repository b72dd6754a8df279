import { DefaultLogger, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logger';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * An Error's message is not an enumerable property, so JSON (pino) would print an
 * ApplicationFailure as `{type, nonRetryable}` only: "Activity failed" lines without the why.
 */
function plain(value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  const { type, nonRetryable } = value as { type?: string; nonRetryable?: boolean };
  const cause = (value as { cause?: unknown }).cause;
  return {
    name: value.name,
    message: value.message,
    ...(type ? { type } : {}),
    ...(nonRetryable !== undefined ? { nonRetryable } : {}),
    ...(cause ? { cause: plain(cause) } : {}),
  };
}

/** Writes one SDK log entry through our JSON logger, errors with their messages. */
export function sdkLogSink(logger: Logger) {
  return ({ level, message, meta }: LogEntry) => {
    const readable = meta && Object.fromEntries(Object.entries(meta).map(([key, value]) => [key, plain(value)]));
    logger[PINO_LEVEL[level]]({ temporal: readable }, message);
  };
}

/** Sends the Temporal SDK's own log lines (warnings and up) through our JSON logger; call before any worker starts. */
export function installSdkLogging(logger: Logger): void {
  Runtime.install({ logger: new DefaultLogger('WARN', sdkLogSink(logger)) });
}
