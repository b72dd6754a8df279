import { AppError, unavailable } from './errors';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

/** True when Postgres could not be reached, as opposed to a query it rejected. */
export function isDatabaseDown(err: unknown): boolean {
  const e = err as { code?: string; name?: string; message?: string };
  if (!e) return false;
  if (e.name === 'KnexTimeoutError') return true;
  if (e.code && (CONNECTION_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  // 'timeout expired' is pg's own wording when connectionTimeoutMillis passes without a connection.
  return /Connection terminated|connect ECONNREFUSED|database .* does not exist|^timeout expired$/i.test(
    e.message ?? '',
  );
}

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/** True when the Temporal frontend could not be reached. */
export function isTemporalDown(err: unknown): boolean {
  for (
    let e = err as { code?: number; cause?: unknown; name?: string; message?: string } | undefined;
    e;
    e = e.cause as typeof e
  ) {
    if (e.code === GRPC_UNAVAILABLE || e.code === GRPC_DEADLINE_EXCEEDED) return true;
    if (/Failed to connect|transport error|UNAVAILABLE|Connection refused/i.test(e.message ?? '')) return true;
  }
  return false;
}

/** Maps an unexpected error to the AppError a client should see, or undefined for a real bug. */
export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (isDatabaseDown(err)) return unavailable('database_unavailable', 'the database is unreachable; try again shortly');
  if (isTemporalDown(err))
    return unavailable('temporal_unavailable', 'the Temporal server is unreachable; try again shortly');
  const code = (err as { code?: string }).code;
  if (code === '23505') return new AppError(409, 'conflict', 'a record with the same unique value already exists');
  if (code === '22P02' || code === '22003' || code === '22007' || code === '22008')
    return new AppError(400, 'validation_error', 'a value is out of range or malformed');
  if (code === '22021' || code === '22P05')
    return new AppError(400, 'validation_error', 'a text value contains bytes that are not valid UTF-8');
  return undefined;
}
