import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { WorkflowStart } from '../../temporal/workflow-starts';

export const OUTBOX_TABLE = 'workflow_outbox';
export const OUTBOX_CHANNEL = 'wa_workflow_outbox';

export interface OutboxEntry {
  id: number;
  workflow_type: string;
  workflow_id: string;
  start: WorkflowStart;
  attempts: number;
}

/** How an entry stands for a DELETE or PATCH of its row: waiting (still ours to change), being started, or gone
 * (started). */
export type EntryState = 'pending' | 'starting' | 'started';

export interface Backlog {
  depth: number;
  oldestAgeSeconds: number;
}

/** Seconds since the oldest of `column` in rows matching `where`, and how many there are, in one statement. */
export async function backlogOf(db: Knex, table: string, column: string, where: string): Promise<Backlog> {
  const { rows } = await db.raw(
    `SELECT count(*)::int AS depth, COALESCE(EXTRACT(EPOCH FROM now() - min(${column})), 0)::float AS age FROM ${table} WHERE ${where}`,
  );
  return { depth: Number(rows[0].depth), oldestAgeSeconds: Number(rows[0].age) };
}

/**
 * Inserts a row and its workflow start in one statement (atomic without a transaction, and one
 * round trip instead of four): `insert` is the row's INSERT ... RETURNING, the answer its rows.
 */
export async function insertWithStart<Row>(db: Knex, insert: Knex.QueryBuilder, start: WorkflowStart): Promise<Row[]> {
  const entry = db.raw(
    `INSERT INTO ${OUTBOX_TABLE} (workflow_type, workflow_id, start) SELECT ?, ?, ?::jsonb FROM inserted ON CONFLICT (workflow_id) DO NOTHING`,
    [start.workflowType, start.workflowId, JSON.stringify(start)],
  );
  return db.with('inserted', insert).with('entry', entry).select('*').from('inserted') as Promise<Row[]>;
}

/** The transactional outbox of workflow starts (see the migration and src/outbox/dispatcher.ts). */
export function createOutboxRepository(db: Knex) {
  return {
    /** In the caller's transaction: the start commits with its row or not at all. A second entry for one workflow id
     * is dropped. */
    async enqueue(start: WorkflowStart, trx: Knex = db): Promise<void> {
      await trx(OUTBOX_TABLE)
        .insert({ workflow_type: start.workflowType, workflow_id: start.workflowId, start: JSON.stringify(start) })
        .onConflict('workflow_id')
        .ignore();
    },

    /** Many starts in one statement (a batch of new contacts enrolled in sequences); duplicates dropped as above. */
    async enqueueMany(starts: WorkflowStart[], trx: Knex = db): Promise<void> {
      if (starts.length === 0) return;
      const rows = starts.map((start) => ({
        workflow_type: start.workflowType,
        workflow_id: start.workflowId,
        start: JSON.stringify(start),
      }));
      await trx(OUTBOX_TABLE).insert(rows).onConflict('workflow_id').ignore();
    },

    /** A signal (with start) that must reach its workflow however many others wait for it: each gets its own entry,
     * keyed `<workflow id>#<uuid>` so it is never dropped as a duplicate nor mistaken for the workflow's own start. */
    async enqueueSignal(start: WorkflowStart, trx: Knex = db): Promise<void> {
      await trx(OUTBOX_TABLE).insert({
        workflow_type: start.workflowType,
        workflow_id: `${start.workflowId}#${randomUUID()}`,
        start: JSON.stringify(start),
      });
    },

    /**
     * Takes up to `limit` due entries for `leaseMs`: SKIP LOCKED lets every API process share the
     * work, and the lease (not a held transaction) keeps connections free while Temporal answers.
     * An entry whose process died mid-start comes back when its lease ends.
     */
    async lease(limit: number, leaseMs: number): Promise<OutboxEntry[]> {
      const { rows } = await db.raw(
        `UPDATE ${OUTBOX_TABLE} o SET leased_until = now() + make_interval(secs => ?), attempts = o.attempts + 1
         WHERE o.id IN (
           SELECT id FROM ${OUTBOX_TABLE}
           WHERE available_at <= now() AND (leased_until IS NULL OR leased_until <= now())
           ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED)
         RETURNING o.id, o.workflow_type, o.workflow_id, o.start, o.attempts`,
        [leaseMs / 1000, limit],
      );
      return rows;
    },

    async complete(ids: number[]): Promise<void> {
      if (ids.length > 0) await db(OUTBOX_TABLE).whereIn('id', ids).delete();
    },

    /** Leased entries given back untried (the dispatcher is stopping, or Temporal went down): waiting again at once. */
    async release(ids: number[]): Promise<void> {
      if (ids.length === 0) return;
      await db.raw(
        `UPDATE ${OUTBOX_TABLE} SET leased_until = NULL, attempts = greatest(attempts - 1, 0) WHERE id = ANY(?::bigint[])`,
        [ids],
      );
    },

    /** Back to waiting, tried again after `delayMs`. */
    async retryLater(failures: { id: number; error: string }[], delayMs: number): Promise<void> {
      if (failures.length === 0) return;
      await db.raw(
        `UPDATE ${OUTBOX_TABLE} o SET leased_until = NULL, available_at = now() + make_interval(secs => ?), last_error = f.error
         FROM unnest(?::bigint[], ?::text[]) AS f(id, error) WHERE o.id = f.id`,
        [delayMs / 1000, failures.map((f) => f.id), failures.map((f) => f.error.slice(0, 1_000))],
      );
    },

    /** Locks the entry of `workflowId` (the caller holds its row's lock too) and says whether its workflow may
     * already exist. */
    async stateFor(workflowId: string, trx: Knex.Transaction): Promise<EntryState> {
      const entry = await trx(OUTBOX_TABLE)
        .where({ workflow_id: workflowId })
        .forUpdate()
        .first('id', db.raw('leased_until > now() AS leased'));
      if (!entry) return 'started';
      return entry.leased ? 'starting' : 'pending';
    },

    /** A pending start that is no longer wanted (its row was cancelled before the workflow existed). */
    drop: (workflowId: string, trx: Knex.Transaction) => trx(OUTBOX_TABLE).where({ workflow_id: workflowId }).delete(),

    /** Rewrites a pending start's first argument (e.g. a moved send time) before anything has started it. */
    async updateFirstArg(workflowId: string, patch: Record<string, unknown>, trx: Knex.Transaction): Promise<void> {
      await trx.raw(
        `UPDATE ${OUTBOX_TABLE} SET start = jsonb_set(start, '{args,0}', (start #> '{args,0}') || ?::jsonb) WHERE workflow_id = ?`,
        [JSON.stringify(patch), workflowId],
      );
    },

    backlog: (trx: Knex = db) => backlogOf(trx, OUTBOX_TABLE, 'created_at', 'true'),
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
