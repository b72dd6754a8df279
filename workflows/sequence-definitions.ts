/** Shared by the sequence workflow, its activities and its start helper. */

export type EnrollmentState =
  'active' | 'completed' | 'stopped_replied' | 'stopped_opted_out' | 'stopped_removed' | 'cancelled';
export type EndedState = Exclude<EnrollmentState, 'active'>;

export const sequenceWorkflowId = (sequenceId: number, contactId: number) =>
  `sequence-${sequenceId}-contact-${contactId}`;

export interface SequenceEnrollmentInput {
  enrollmentId: number;
  sequenceId: number;
  contactId: number;
}

/** What the workflow needs to decide a step, read from Postgres when the step comes. */
export interface StepView {
  /** The enrolment's state in Postgres (cancelled through the API, or gone with its sequence). */
  enrollment: EnrollmentState | 'missing';
  contact: 'present' | 'opted_out' | 'removed';
  /** The contact wrote to us since enrolling. */
  replied: boolean;
  /** Undefined once the sequence has no step at this index (finished, or shortened by an edit). */
  step?: { onlyIfNoReply: boolean; dueAt: string };
}

/** A step's message, created once per (enrolment, step). */
export interface StepMessage {
  messageId: number;
  phoneNumber: string;
}
