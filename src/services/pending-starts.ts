import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { createOutboxRepository, type EntryState } from '../db/repositories/outbox';
import type { Logger } from '../logger';
import { cancelWaitingWorkflow, onceStarted } from '../temporal/cancel-workflow';

/**
 * DELETE and PATCH of a row whose workflow may not exist yet (its start is still in the
 * outbox). Called inside the row's transaction, after its row lock: a start nobody has taken
 * is changed in place (or dropped), and only a workflow that exists (or is being started) is
 * asked through Temporal.
 */
export function createPendingStarts(temporal: Client, logger: Logger) {
  const pending = {
    /** Drops a start not yet made; returns how the entry stood, for `afterCancel`. */
    async cancel(workflowId: string, trx: Knex.Transaction): Promise<EntryState> {
      const outbox = createOutboxRepository(trx);
      const state = await outbox.stateFor(workflowId, trx);
      if (state === 'pending') await outbox.drop(workflowId, trx);
      return state;
    },

    /** After the commit: a workflow that exists (or is starting) is cancelled too, to end its timer. */
    async afterCancel(workflowId: string, state: EntryState): Promise<void> {
      if (state !== 'pending') await cancelWaitingWorkflow(temporal, workflowId, logger, state === 'starting');
    },

    /** Moves a start's first argument if not yet made; otherwise runs `update` against the workflow. */
    async move(
      workflowId: string,
      patch: Record<string, unknown>,
      trx: Knex.Transaction,
      update: () => Promise<unknown>,
    ): Promise<void> {
      const outbox = createOutboxRepository(trx);
      const state = await outbox.stateFor(workflowId, trx);
      if (state === 'pending') {
        await outbox.updateFirstArg(workflowId, patch, trx);
        return;
      }
      await onceStarted(state === 'starting', update);
    },

    /**
     * Cancels a row only while it is scheduled (`cancelRow` answers undefined otherwise), dropping a start
     * not yet made in the same transaction; after the commit, a workflow that exists is cancelled too.
     */
    async cancelScheduled<T>(
      db: Knex,
      workflowId: string,
      cancelRow: (trx: Knex.Transaction) => Promise<T | undefined>,
    ): Promise<T | undefined> {
      const done = await db.transaction(async (trx) => {
        const cancelled = await cancelRow(trx);
        return cancelled ? { cancelled, entry: await pending.cancel(workflowId, trx) } : undefined;
      });
      if (done) await pending.afterCancel(workflowId, done.entry);
      return done?.cancelled;
    },
  };
  return pending;
}

export type PendingStarts = ReturnType<typeof createPendingStarts>;
