import { executeChild, sleep, upsertSearchAttributes } from '@temporalio/workflow';
import { databaseActivities as db } from './activity-options';
import { MESSAGE_STATUS_KEY, messageWorkflowId, PHONE_NUMBER_KEY } from './definitions';
import { sendMessageWorkflow } from './send-message';
import type { EndedState, SequenceEnrollmentInput, StepView } from './sequence-definitions';

/** Why the enrolment ends before this step, if it does. */
export function stopBefore(view: StepView): EndedState | undefined {
  if (view.enrollment === 'missing') return 'cancelled';
  if (view.enrollment !== 'active') return view.enrollment;
  if (view.contact === 'removed') return 'stopped_removed';
  if (view.contact === 'opted_out') return 'stopped_opted_out';
  if (!view.step) return 'completed';
  if (view.step.onlyIfNoReply && view.replied) return 'stopped_replied';
  return undefined;
}

/**
 * One contact's way through a follow-up sequence. Each step is read from Postgres when it
 * comes (so an edit reaches running enrolments), waited for durably, read again after the
 * wait (a reply, an opt-out or a removal meanwhile stops it), then sent as an ordinary
 * message through the send workflow every message takes.
 */
export async function sequenceEnrollmentWorkflow({ enrollmentId }: SequenceEnrollmentInput): Promise<EndedState> {
  for (let index = 0; ; index++) {
    const planned = await db.viewSequenceStep(enrollmentId, index);
    let stop = stopBefore(planned);
    if (stop) return end(enrollmentId, stop);
    const waitMs = Date.parse((planned.step as NonNullable<StepView['step']>).dueAt) - Date.now();
    if (waitMs > 0) await sleep(waitMs);

    stop = stopBefore(await db.viewSequenceStep(enrollmentId, index));
    if (stop) return end(enrollmentId, stop);
    const message = await db.createSequenceStepMessage(enrollmentId, index);
    if (!message) {
      // The step or the contact went away between the look and the send: look again, which ends it.
      index--;
      continue;
    }
    await executeChild(sendMessageWorkflow, {
      workflowId: messageWorkflowId(message.messageId),
      args: [{ messageId: message.messageId }],
      memo: { message_id: message.messageId, phone_number: message.phoneNumber, kind: 'sequence_step' },
      typedSearchAttributes: [
        { key: PHONE_NUMBER_KEY, value: message.phoneNumber },
        { key: MESSAGE_STATUS_KEY, value: 'sending' },
      ],
    });
  }
}

async function end(enrollmentId: number, state: EndedState): Promise<EndedState> {
  await db.endSequenceEnrollment(enrollmentId, state);
  upsertSearchAttributes([{ key: MESSAGE_STATUS_KEY, value: state }]);
  return state;
}
