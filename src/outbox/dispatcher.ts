import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { createOutboxRepository, type OutboxEntry } from '../db/repositories/outbox';
import { isTemporalDown } from '../infra-errors';
import type { Logger } from '../logger';
import { outboxStarts } from '../metrics/registry';
import { startWorkflowFrom } from './start';

/** Entries taken per pass. */
export const OUTBOX_BATCH = 100;
/** Starts in flight at once while this process answers no request: the whole batch. */
const IDLE_STARTS = OUTBOX_BATCH;
/**
 * ... and while it answers requests: the starts share the event loop (and, on a small machine, the
 * CPU) with them, so they give way; requests commit durably without them and the starts catch up.
 * Not much lower: a message due within the workflow's 30 s lead must still be started in time.
 */
const BUSY_STARTS = 16;
/** A start that has not finished by then is presumed lost with its process; another process takes the entry. */
const LEASE_MS = 30_000;
/** Each Temporal call's own limit, well inside the lease (and what a DELETE may wait for a start in flight). */
export const START_DEADLINE_MS = 5_000;
const PROBE_DEADLINE_MS = 2_000;
const MAX_BACKOFF_MS = 5_000;

const backoff = (attempts: number) => Math.min(250 * 2 ** Math.min(attempts, 10), MAX_BACKOFF_MS);

/**
 * One pass of the outbox dispatcher: lease due entries, start their workflows, delete the
 * started ones. A start is idempotent by workflow id (an already-started workflow counts as
 * done), so an entry started twice (a lease that ran out, a process killed before the delete)
 * still gives one workflow. Returns true when the batch was full (there may be more).
 */
export function createOutboxPass(db: Knex, temporal: Client, logger: Logger, requestsInFlight: () => number = () => 0) {
  const outbox = createOutboxRepository(db);
  // After a pass that found Temporal unreachable, entries are leased again only once a cheap probe
  // answers: meanwhile they stay pending, so a DELETE or PATCH changes them without asking Temporal.
  let temporalDown = false;
  const temporalAnswers = () => {
    lingerUntil = Math.max(lingerUntil, Date.now() + PROBE_DEADLINE_MS);
    return temporal.connection
      .withDeadline(Date.now() + PROBE_DEADLINE_MS, () => temporal.connection.workflowService.getSystemInfo({}))
      .then(
        () => true,
        () => false,
      );
  };
  // A failed call may leave a gRPC retry timer behind until its deadline; closing the connection
  // before then makes that retry throw where nothing catches it. Shutdown waits this long.
  let lingerUntil = 0;

  const startOne = async (entry: OutboxEntry): Promise<{ id: number; error?: string }> => {
    try {
      await temporal.connection.withDeadline(Date.now() + START_DEADLINE_MS, () =>
        startWorkflowFrom(temporal, entry.start),
      );
      outboxStarts.inc({ outcome: 'started' });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        outboxStarts.inc({ outcome: 'already_started' });
        return { id: entry.id };
      }
      outboxStarts.inc({ outcome: 'failed' });
      lingerUntil = Math.max(lingerUntil, Date.now() + START_DEADLINE_MS);
      if (isTemporalDown(err)) temporalDown = true;
      return { id: entry.id, error: (err as Error).message ?? String(err) };
    }
    return { id: entry.id };
  };

  const dispatchOutbox = async (): Promise<boolean> => {
    if (temporalDown) {
      if (!(await temporalAnswers())) return false;
      temporalDown = false;
    }
    const entries = await outbox.lease(OUTBOX_BATCH, LEASE_MS);
    if (entries.length === 0) return false;
    const results = await startBounded(entries, () => (requestsInFlight() > 0 ? BUSY_STARTS : IDLE_STARTS), startOne);
    await outbox.complete(results.filter((r) => r.error === undefined).map((r) => r.id));
    const failures = results.filter((r): r is { id: number; error: string } => r.error !== undefined);
    if (failures.length > 0) {
      const attempts = Math.max(...entries.filter((e) => failures.some((f) => f.id === e.id)).map((e) => e.attempts));
      logger.warn(
        { failed: failures.length, of: entries.length, error: failures[0].error },
        'outbox: workflow starts failed; retrying',
      );
      await outbox.retryLater(failures, backoff(attempts));
    }
    return entries.length === OUTBOX_BATCH && failures.length === 0;
  };

  /** Resolves once no gRPC retry of a failed call can still fire (call before closing the Temporal connection). */
  const settled = () =>
    new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, lingerUntil - Date.now()) + 100));
  return { dispatchOutbox, settled };
}

/** Runs `run` over `items` with at most `limit()` in flight, read again as each one finishes. */
function startBounded<T, R>(items: T[], limit: () => number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let active = 0;
  let done = 0;
  if (items.length === 0) return Promise.resolve([]);
  return new Promise((resolve) => {
    const pump = () => {
      while (next < items.length && (active === 0 || active < limit())) {
        const index = next++;
        active++;
        void run(items[index]).then((result) => {
          results[index] = result;
          active--;
          done++;
          if (done === items.length) resolve(results);
          else pump();
        });
      }
    };
    pump();
  });
}
