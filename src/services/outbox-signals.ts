import type { Knex } from 'knex';
import { createOutboxRepository } from '../db/repositories/outbox';
import type { WorkflowStart } from '../temporal/workflow-starts';

/** Sends a signal (with start) through the outbox: committed to Postgres now, handed to Temporal by the dispatcher. */
export type OutboxSignal = (start: WorkflowStart, trx?: Knex.Transaction) => Promise<void>;

/**
 * A request answered while Temporal is away still reaches its workflow once it is back. Inside a
 * transaction the caller wakes the dispatcher after its commit (`wakeOutbox`); outside, this does.
 */
export function createOutboxSignal(db: Knex, wakeOutbox: () => void): OutboxSignal {
  const outbox = createOutboxRepository(db);
  return async (start, trx) => {
    await outbox.enqueueSignal(start, trx ?? db);
    if (!trx) wakeOutbox();
  };
}
