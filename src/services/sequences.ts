import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { createContactsRepository } from '../db/repositories/contacts';
import { createEnrollmentsRepository, enroll, type Enrollment } from '../db/repositories/sequence-enrollments';
import { AppError, conflict, fieldError, notFound } from '../errors';
import type { Logger } from '../logger';
import { createPendingStarts } from './pending-starts';
import { createSequencesRepository } from '../db/repositories/sequences';
import type { EntryState } from '../db/repositories/outbox';

const MAX_CANCELLED_AT_ONCE = 200;

export interface SequenceServiceDeps {
  db: Knex;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  wakeOutbox: () => void;
}

/** Explicit enrolments and their cancellation: the row and the workflow start (or cancel) together. */
export function createSequenceService({ db, temporal, taskQueue, logger, wakeOutbox }: SequenceServiceDeps) {
  const contacts = createContactsRepository(db);
  const enrollments = createEnrollmentsRepository(db);
  const sequences = createSequencesRepository(db);
  const pending = createPendingStarts(temporal, logger);

  return {
    async enroll(sequenceId: number, contactId: number): Promise<Enrollment> {
      const row = await db.transaction(async (trx) => {
        const contact = await contacts.findForUpdate(contactId, trx);
        if (!contact) throw fieldError('contact_id', `no contact with id ${contactId}`);
        if (contact.opted_out) {
          throw new AppError(
            422,
            'contact_opted_out',
            `contact ${contactId} has opted out of messages (STOP); a sequence would send nothing`,
          );
        }
        if (!contact.phone_number)
          throw new AppError(
            422,
            'contact_without_phone',
            `contact ${contactId} has no phone number, only a WhatsApp user id`,
          );
        const enrolled = await enroll(trx, sequenceId, contact, taskQueue);
        if (!enrolled)
          throw conflict(
            'already_enrolled',
            `contact ${contactId} is already enrolled in sequence ${sequenceId} (each contact once)`,
          );
        return enrolled;
      });
      wakeOutbox();
      return row;
    },

    /** Ends an active enrolment as cancelled: a start still in the outbox is dropped, a running workflow cancelled. */
    async cancel(sequenceId: number, enrollmentId: number): Promise<Enrollment> {
      const done = await db.transaction(async (trx) => {
        const existing = await enrollments.findForUpdate(sequenceId, enrollmentId, trx);
        if (!existing) throw notFound('enrollment');
        if (existing.state !== 'active') return { enrollment: existing };
        const entry = await pending.cancel(existing.workflow_id, trx);
        return { enrollment: (await enrollments.end(enrollmentId, 'cancelled', trx)) as Enrollment, entry };
      });
      if (done.entry) await pending.afterCancel(done.enrollment.workflow_id, done.entry);
      return done.enrollment;
    },

    /**
     * Deletes the sequence with its enrolments. Their workflows would find that at their next step; the
     * first MAX_CANCELLED_AT_ONCE are cancelled now so the Web UI shows them ended.
     */
    async remove(sequenceId: number): Promise<boolean> {
      const done = await db.transaction(async (trx) => {
        const active = await enrollments.activeWorkflowIds(sequenceId, MAX_CANCELLED_AT_ONCE, trx);
        const entries: [string, EntryState][] = [];
        for (const workflowId of active) entries.push([workflowId, await pending.cancel(workflowId, trx)]);
        return { removed: await sequences.remove(sequenceId, trx), entries };
      });
      for (const [workflowId, entry] of done.entries) await pending.afterCancel(workflowId, entry);
      return done.removed;
    },
  };
}

export type SequenceService = ReturnType<typeof createSequenceService>;
