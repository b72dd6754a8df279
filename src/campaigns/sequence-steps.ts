import type { TemplateContent } from '../db/repositories/messages';
import { dueAfter, type StepTiming } from './sequence-timing';

/** One step of a sequence as stored (sequences.steps) and shown by the API. */
export interface SequenceStep {
  template?: { name: string; language: string; params?: string[] };
  text?: string;
  /** After the previous step (or the enrolment, for the first): `0s`, `30m`, `2h`, `3d`. */
  delay?: string;
  /** Or the next time the clock shows `time` in `time_zone` after the previous step. */
  at?: { time: string; time_zone: string };
  /** Stop the enrolment instead of sending this step when the contact wrote to us since enrolling. */
  only_if_no_reply?: boolean;
}

export type SequenceTriggerType = 'manual' | 'source' | 'tag';

export const stepTiming = (step: SequenceStep): StepTiming =>
  step.at ? { at: step.at } : { delay: step.delay ?? '0s' };

export const stepDueAfter = (previous: Date, step: SequenceStep): Date => dueAfter(previous, stepTiming(step));

/** What the step sends, as a message row holds it: a template (params fill the body) or free text. */
export function stepContent(
  step: SequenceStep,
): { type: 'template'; template: TemplateContent } | { type: 'text'; text: string } {
  if (!step.template) return { type: 'text', text: step.text ?? '' };
  const { name, language, params } = step.template;
  const components = params?.length
    ? [{ type: 'body', parameters: params.map((text) => ({ type: 'text', text })) }]
    : undefined;
  return { type: 'template', template: { name, language, ...(components ? { components } : {}) } };
}
