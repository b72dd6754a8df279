import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { createContactsRepository } from '../db/repositories/contacts';
import { createEnrollmentsRepository, enroll, type Enrollment } from '../db/repositories/sequence-enrollments';
import { AppError, conflict, fieldError, notFound } from '../errors';
import type { Logger } from '../logger';
import { cancelWaitingWorkflow } from '../temporal/cancel-workflow';

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

  return {
    async enroll(sequenceId: number, contactId: number): Promise<Enrollment> {
      const row = await db.transaction(async (trx) => {
        const contact = await contacts.findForUpdate(contactId, trx);
        if (!contact) throw fieldError('contact_id', `no contact with id ${contactId}`);
        if (contact.opted_out) {
          throw new AppError(422, 'contact_opted_out', `contact ${contactId} has opted out of messages (STOP); a sequence would send nothing`);
        }
        if (!contact.phone_number) throw new AppError(422, 'contact_without_phone', `contact ${contactId} has no phone number, only a WhatsApp user id`);
        const enrolled = await enroll(trx, sequenceId, contact, taskQueue);
        if (!enrolled) throw conflict('already_enrolled', `contact ${contactId} is already enrolled in sequence ${sequenceId} (each contact once)`);
        return enrolled;
      });
      wakeOutbox();
      return row;
    },

    /** Ends an active enrolment as cancelled; the workflow's timer is cancelled too (it would find the row anyway). */
    async cancel(sequenceId: number, enrollmentId: number): Promise<Enrollment> {
      const existing = await enrollments.find(sequenceId, enrollmentId);
      if (!existing) throw notFound('enrollment');
      if (existing.state !== 'active') return existing;
      const ended = (await enrollments.end(enrollmentId, 'cancelled')) as Enrollment;
      await cancelWaitingWorkflow(temporal, existing.workflow_id, logger, true);
      return ended;
    },
  };
}

export type SequenceService = ReturnType<typeof createSequenceService>;
