import type { Knex } from 'knex';
import { stepContent, stepDueAfter } from '../src/campaigns/sequence-steps';
import { createMessagesRepository } from '../src/db/repositories/messages';
import { createEnrollmentsRepository } from '../src/db/repositories/sequence-enrollments';
import { createTemplatesRepository } from '../src/db/repositories/templates';
import type { EndedState, StepMessage, StepView } from '../workflows/sequence-definitions';

/** The sequence workflow's reads and writes: every decision's facts come from Postgres at the step's time. */
export function createSequenceActivities({ db }: { db: Knex }) {
  const enrollments = createEnrollmentsRepository(db);
  const templates = createTemplatesRepository(db);
  // The send path refuses MARKETING templates to US numbers by the category the message row carries, as for the API.
  const categoryOf = async (content: ReturnType<typeof stepContent>) =>
    content.type === 'template'
      ? ((await templates.findByNameAndLanguage(content.template.name, content.template.language))?.category ?? null)
      : null;

  return {
    async viewSequenceStep(enrollmentId: number, index: number): Promise<StepView> {
      const facts = await enrollments.stepFacts(enrollmentId, index);
      if (!facts) return { enrollment: 'missing', contact: 'removed', replied: false };
      // A contact known only by a WhatsApp user id cannot be messaged: as good as removed for a sequence.
      const contact = facts.phone_number === null ? 'removed' : facts.opted_out ? 'opted_out' : 'present';
      // WhatsApp stamps messages in whole seconds: a reply in the second of enrolling counts.
      const enrolledSecond = Math.floor(facts.enrolled_at.getTime() / 1000) * 1000;
      const replied = facts.last_inbound_at !== null && facts.last_inbound_at.getTime() >= enrolledSecond;
      const step = facts.steps?.[index];
      if (!step) return { enrollment: facts.state, contact, replied };
      const dueAt = stepDueAfter(facts.previous_step_at ?? facts.enrolled_at, step);
      if (facts.state === 'active') await enrollments.planStep(enrollmentId, index, dueAt);
      return {
        enrollment: facts.state,
        contact,
        replied,
        step: { onlyIfNoReply: Boolean(step.only_if_no_reply), dueAt: dueAt.toISOString() },
      };
    },

    /**
     * The step's message row, created once: a retry finds the one it made before. Undefined when the step or the
     * contact went away since the workflow looked.
     */
    async createSequenceStepMessage(enrollmentId: number, index: number): Promise<StepMessage | undefined> {
      return db.transaction(async (trx) => {
        const facts = await enrollments.stepFacts(enrollmentId, index, trx, true);
        const existing = await enrollments.stepMessageId(enrollmentId, index, trx);
        if (existing && facts?.phone_number) return { messageId: Number(existing), phoneNumber: facts.phone_number };
        // The same conditions the workflow's look stops on, so it looks again and ends.
        const step = facts?.steps?.[index];
        if (!facts || facts.state !== 'active' || facts.opted_out || !step || !facts.phone_number) return undefined;
        const messages = createMessagesRepository(trx);
        const content = stepContent(step);
        const row = {
          contact_id: facts.contact_id,
          phone_number: facts.phone_number,
          ...content,
          template_category: await categoryOf(content),
        };
        const message = await messages.create({ ...row, status: 'sending' }, trx);
        await enrollments.recordStepMessage(enrollmentId, index, message.id, trx);
        return { messageId: message.id, phoneNumber: facts.phone_number };
      });
    },

    async endSequenceEnrollment(enrollmentId: number, state: EndedState): Promise<void> {
      await enrollments.end(enrollmentId, state);
    },
  };
}
