import type { Knex } from 'knex';
import type { SequenceStep } from '../../campaigns/sequence-steps';
import { sequenceEnrollmentStart } from '../../temporal/workflow-starts';
import { sequenceWorkflowId, type EnrollmentState } from '../../../workflows/sequence-definitions';
import { createOutboxRepository } from './outbox';
import { fetchPage, type PageRequest } from './pagination';
import { SEQUENCES_TABLE } from './sequences';

export const ENROLLMENTS_TABLE = 'sequence_enrollments';
const STEP_SENDS_TABLE = 'sequence_step_sends';

export interface StepFacts {
  state: EnrollmentState;
  enrolled_at: Date;
  steps: SequenceStep[] | null;
  contact_id: number | null;
  phone_number: string | null;
  opted_out: boolean | null;
  last_inbound_at: Date | null;
  previous_step_at: Date | null;
}

export interface Enrollment {
  id: number;
  sequence_id: number;
  contact_id: number | null;
  state: EnrollmentState;
  current_step: number;
  next_step_at: Date | null;
  workflow_id: string;
  created_at: Date;
  updated_at: Date;
  ended_at: Date | null;
}

/** A contact just written (created) that triggers may enrol. */
export interface NewContact {
  id: number;
  phone_number: string | null;
  source: string;
  tags: string[];
  opted_out: boolean;
}

/**
 * Inserts the enrolment and its workflow start in the caller's transaction: both commit or
 * neither. Undefined when the contact is already enrolled in the sequence.
 */
export async function enroll(
  trx: Knex,
  sequenceId: number,
  contact: Pick<NewContact, 'id' | 'phone_number'>,
  taskQueue: string,
): Promise<Enrollment | undefined> {
  const workflowId = sequenceWorkflowId(sequenceId, contact.id);
  const [row] = await trx<Enrollment>(ENROLLMENTS_TABLE)
    .insert({ sequence_id: sequenceId, contact_id: contact.id, workflow_id: workflowId })
    .onConflict(['sequence_id', 'contact_id'])
    .ignore()
    .returning('*');
  if (!row) return undefined;
  const start = sequenceEnrollmentStart(
    { enrollmentId: row.id, sequenceId, contactId: contact.id },
    contact.phone_number ?? '',
    taskQueue,
  );
  await createOutboxRepository(trx).enqueue(start, trx);
  return row as Enrollment;
}

/**
 * Every sequence triggered by these new contacts' source or tags enrols them (opted-out ones
 * never): called by every path that creates contacts, inside its transaction. One statement
 * for the enrolments and one for their starts, however large the batch (a CSV import's 1,000 rows).
 */
export async function enrollNewContacts(trx: Knex, contacts: NewContact[], taskQueue: string): Promise<number> {
  const eligible = contacts.filter((c) => !c.opted_out && c.phone_number);
  if (eligible.length === 0) return 0;
  const sources = [...new Set(eligible.map((c) => c.source))];
  const tags = [...new Set(eligible.flatMap((c) => c.tags ?? []))];
  const sequences: { id: number; trigger_type: string; trigger_value: string }[] = await trx(SEQUENCES_TABLE)
    .where((q) => {
      q.where({ trigger_type: 'source' }).whereIn('trigger_value', sources);
      if (tags.length > 0) q.orWhere((t) => t.where({ trigger_type: 'tag' }).whereIn('trigger_value', tags));
    })
    .select('id', 'trigger_type', 'trigger_value');
  const triggered = (sequence: (typeof sequences)[number], c: NewContact) =>
    sequence.trigger_type === 'source' ? c.source === sequence.trigger_value : c.tags?.includes(sequence.trigger_value);
  const pairs = sequences.flatMap((s) =>
    eligible
      .filter((c) => triggered(s, c))
      .map((c) => ({ sequence_id: s.id, contact_id: c.id, workflow_id: sequenceWorkflowId(s.id, c.id) })),
  );
  if (pairs.length === 0) return 0;
  const rows: Enrollment[] = await trx(ENROLLMENTS_TABLE)
    .insert(pairs)
    .onConflict(['sequence_id', 'contact_id'])
    .ignore()
    .returning('*');
  const phones = new Map(eligible.map((c) => [c.id, c.phone_number ?? '']));
  const starts = rows.map((r) =>
    sequenceEnrollmentStart(
      { enrollmentId: r.id, sequenceId: r.sequence_id, contactId: r.contact_id as number },
      phones.get(r.contact_id as number) ?? '',
      taskQueue,
    ),
  );
  await createOutboxRepository(trx).enqueueMany(starts, trx);
  return rows.length;
}

export function createEnrollmentsRepository(db: Knex) {
  const table = (trx: Knex = db) => trx<Enrollment>(ENROLLMENTS_TABLE);

  return {
    list: (sequenceId: number, page: PageRequest, state?: EnrollmentState) =>
      fetchPage<Enrollment>(
        table()
          .where({ sequence_id: sequenceId, ...(state ? { state } : {}) })
          .select('*'),
        page,
      ),

    find: (sequenceId: number, id: number, trx?: Knex) => table(trx).where({ sequence_id: sequenceId, id }).first(),

    findForUpdate: (sequenceId: number, id: number, trx: Knex.Transaction) =>
      table(trx).where({ sequence_id: sequenceId, id }).forUpdate().first(),

    activeWorkflowIds: async (sequenceId: number, limit: number, trx: Knex = db) =>
      (
        await table(trx)
          .where({ sequence_id: sequenceId, state: 'active' })
          .orderBy('id')
          .limit(limit)
          .select('workflow_id')
      ).map((r) => r.workflow_id),

    /** Ends an active enrolment as `state`; answers the row (unchanged when it had already ended). */
    async end(id: number, state: Exclude<EnrollmentState, 'active'>, trx: Knex = db): Promise<Enrollment | undefined> {
      const [row] = await table(trx)
        .where({ id, state: 'active' })
        .update({ state, next_step_at: null, ended_at: db.fn.now(), updated_at: db.fn.now() })
        .returning('*');
      return (row as Enrollment | undefined) ?? (await table(trx).where({ id }).first());
    },

    /** What a step's decision reads: the enrolment, its sequence's steps now, the contact, and when the last step
     * ran. */
    async stepFacts(id: number, step: number, trx: Knex = db, lock = false): Promise<StepFacts | undefined> {
      const query = table(trx)
        .leftJoin(`${SEQUENCES_TABLE} as s`, 's.id', `${ENROLLMENTS_TABLE}.sequence_id`)
        .leftJoin('contacts as c', 'c.id', `${ENROLLMENTS_TABLE}.contact_id`)
        .where(`${ENROLLMENTS_TABLE}.id`, id)
        .first(
          `${ENROLLMENTS_TABLE}.state`,
          `${ENROLLMENTS_TABLE}.created_at as enrolled_at`,
          's.steps',
          'c.id as contact_id',
          'c.phone_number',
          'c.opted_out',
          'c.last_inbound_at',
          trx.raw(
            `(SELECT m.created_at FROM ${STEP_SENDS_TABLE} ss JOIN messages m ON m.id = ss.message_id
                   WHERE ss.enrollment_id = ? AND ss.step = ?) AS previous_step_at`,
            [id, step - 1],
          ),
        );
      // Locks only the enrolment (joined rows may be absent): an API cancel waits for the send's decision.
      return (await (lock ? query.forUpdate(ENROLLMENTS_TABLE) : query)) as StepFacts | undefined;
    },

    /** The message already created for this step, if any (a retried activity must not send twice). */
    stepMessageId: async (id: number, step: number, trx: Knex = db) =>
      (await trx(STEP_SENDS_TABLE).where({ enrollment_id: id, step }).first('message_id'))?.message_id as
        number | undefined,

    recordStepMessage: (id: number, step: number, messageId: number, trx: Knex) =>
      trx(STEP_SENDS_TABLE).insert({ enrollment_id: id, step, message_id: messageId }),

    async planStep(id: number, step: number, nextStepAt: Date): Promise<void> {
      await table()
        .where({ id, state: 'active' })
        .update({ current_step: step, next_step_at: nextStepAt, updated_at: db.fn.now() });
    },
  };
}

export type EnrollmentsRepository = ReturnType<typeof createEnrollmentsRepository>;
