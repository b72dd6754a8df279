import { ApplicationFailure, log } from '@temporalio/activity';

/**
 * SQLSTATE classes that say "try again later": connection, rollback (deadlock, serialization), resources, operator,
 * system.
 */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '40', '53', '54', '55', '57', '58', 'XX']);
const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * Whether an error would happen again for the same input: Postgres refusing the data itself
 * (a data exception, a constraint, a syntax or type error: any SQLSTATE outside the transient
 * classes). Connection trouble, pool timeouts and errors without a SQLSTATE are not poison:
 * they are retried under DATABASE_RETRY, which is itself bounded.
 */
export function isPoison(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && SQLSTATE.test(code) && !TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2));
}

/**
 * Runs one event's database work; an error that the same event would hit on every retry ends
 * the activity non-retryable (`poison_event`), so its workflow fails visibly in Temporal
 * instead of retrying forever.
 */
export async function failPoisonFast<T>(what: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!isPoison(err)) throw err;
    const message = `${what}: Postgres refuses this event (${(err as { code: string }).code}: ${(err as Error).message}); it is not retried`;
    log.error(message);
    throw ApplicationFailure.nonRetryable(message, 'poison_event');
  }
}
