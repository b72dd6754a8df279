import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { createOutboxRepository, type OutboxEntry } from '../db/repositories/outbox';
import { isTemporalDown } from '../infra-errors';
import type { Logger } from '../logger';
import { outboxStarts } from '../metrics/registry';
import type { PassControl } from './loop';
import { runPipeline } from './pipeline';
import { startWorkflowFrom } from './start';

/**
 * Starts in flight at once while this process answers no request: about what the Temporal server
 * saturates with (more only adds latency; its CPU is the bound, not the round trips).
 */
const IDLE_STARTS = 32;
/**
 * ... and while it answers requests: the starts share the event loop (and, on a small machine, the
 * CPU) with them, so they give way; requests commit durably without them and the starts catch up.
 * Not much lower: a message due within the workflow's 30 s lead must still be started in time.
 */
const BUSY_STARTS = 16;
/** Entries leased at once, when fewer than a full set of starts wait to run. */
export const OUTBOX_BATCH = 64;
/**
 * Started entries are deleted in groups of up to this many, or once the oldest has waited SETTLE_MS:
 * one commit per group rather than per start (they are still leased meanwhile, so read as 'starting').
 */
const SETTLE_COUNT = 100;
const SETTLE_MS = 500;
/** Least time between two leases once one came back short (woken by new entries meanwhile). */
const LEASE_GAP_MS = 50;
/** A start that has not finished by then is presumed lost with its process; another process takes the entry. */
const LEASE_MS = 30_000;
/** Each Temporal call's own limit, well inside the lease (and what a DELETE may wait for a start in flight). */
export const START_DEADLINE_MS = 5_000;
const PROBE_DEADLINE_MS = 2_000;
const MAX_BACKOFF_MS = 5_000;

const IDLE_LOOP: PassControl = { stopping: () => false, woken: () => false };

const backoff = (attempts: number) => Math.min(250 * 2 ** Math.min(attempts, 10), MAX_BACKOFF_MS);

/**
 * The outbox dispatcher's pass: lease due entries, start their workflows, delete the started
 * ones, as a pipeline that keeps a set of starts in flight. A start is idempotent by workflow id
 * (an already-started workflow counts as done), so an entry started twice (a lease that ran out,
 * a process killed before the delete) still gives one workflow.
 */
export function createOutboxPass(
  db: Knex,
  temporal: Client,
  logger: Logger,
  requestsInFlight: () => number = () => 0,
  /** True while another process (a worker's loops) should take the entries: nothing leased, the rest given back. */
  givingWay: () => boolean = () => false,
) {
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

  const settle = async (results: { id: number; error?: string; attempts: number }[]) => {
    await outbox.complete(results.filter((r) => r.error === undefined).map((r) => r.id));
    const failures = results.filter((r): r is { id: number; error: string; attempts: number } => r.error !== undefined);
    if (failures.length === 0) return;
    logger.warn(
      { failed: failures.length, of: results.length, error: failures[0].error },
      'outbox: workflow starts failed; retrying',
    );
    await outbox.retryLater(failures, backoff(Math.max(...failures.map((f) => f.attempts))));
  };

  /**
   * Leases and starts entries continuously (see runPipeline) until none are due; returns false
   * (the loop runs it again when woken or at the next poll).
   */
  const dispatchOutbox = async (control: PassControl = IDLE_LOOP): Promise<boolean> => {
    if (givingWay()) return false;
    if (temporalDown) {
      if (!(await temporalAnswers())) return false;
      temporalDown = false;
    }
    await runPipeline(
      {
        take: (n) => outbox.lease(n, LEASE_MS),
        run: async (entry) => ({ ...(await startOne(entry)), attempts: entry.attempts }),
        settle,
        giveBack: (entries) => outbox.release(entries.map((e) => e.id)),
        limit: () => (requestsInFlight() > 0 ? BUSY_STARTS : IDLE_STARTS),
        halted: () => temporalDown || control.stopping() || givingWay(),
        woken: control.woken,
      },
      { take: OUTBOX_BATCH, settleCount: SETTLE_COUNT, settleMs: SETTLE_MS, takeGapMs: LEASE_GAP_MS },
    );
    return false;
  };

  /** Resolves once no gRPC retry of a failed call can still fire (call before closing the Temporal connection). */
  const settled = () =>
    new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, lingerUntil - Date.now()) + 100));
  return { dispatchOutbox, settled };
}
