import { Context } from '@temporalio/activity';
import { sendRecordRetries } from '../src/metrics/registry';

const FIRST_DELAY_MS = 200;
const MAX_DELAY_MS = 10_000;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Each retry is counted and logged: a record that never lands leaves its message `sending`; the log says why. */
function warn(err: unknown, attempt: number): void {
  sendRecordRetries.inc();
  try {
    Context.current().log.warn('could not record what WhatsApp answered; retrying until it lands', {
      attempt,
      error: err instanceof Error ? err.message : String(err),
    });
  } catch {
    // outside an activity (unit use): no logger to tell
  }
}

function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // outside an activity (unit use): nothing to report to
  }
}

/**
 * Records what WhatsApp answered, retrying until it lands. Once WhatsApp has the message,
 * giving up here would fail the activity, and a retried activity must not send it again; so
 * Postgres down for minutes only delays the record (backoff up to 10 s, heartbeating so the
 * attempt is not declared dead while it waits). Cancellation is ignored on purpose.
 */
export async function recordUntilItLands<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      warn(err, attempt);
      heartbeat();
      await delay(Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** attempt));
      heartbeat();
    }
  }
}
