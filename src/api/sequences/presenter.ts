import type { Enrollment } from '../../db/repositories/sequence-enrollments';
import type { Sequence, SequenceInput } from '../../db/repositories/sequences';
import { iso } from '../contacts/presenter';

type Trigger = { type: 'manual' } | { type: 'source'; source: string } | { type: 'tag'; tag: string };

export function presentTrigger(s: Pick<Sequence, 'trigger_type' | 'trigger_value'>): Trigger {
  if (s.trigger_type === 'source') return { type: 'source', source: s.trigger_value ?? '' };
  if (s.trigger_type === 'tag') return { type: 'tag', tag: s.trigger_value ?? '' };
  return { type: 'manual' };
}

export const triggerColumns = (t: Trigger): Pick<SequenceInput, 'trigger_type' | 'trigger_value'> =>
  t.type === 'manual'
    ? { trigger_type: 'manual', trigger_value: null }
    : { trigger_type: t.type, trigger_value: t.type === 'source' ? t.source : t.tag };

export const presentSequence = (s: Sequence) => ({
  id: s.id,
  name: s.name,
  trigger: presentTrigger(s),
  steps: s.steps,
  created_at: s.created_at.toISOString(),
  updated_at: s.updated_at.toISOString(),
});

export const presentEnrollment = (e: Enrollment) => ({
  id: Number(e.id),
  sequence_id: Number(e.sequence_id),
  contact_id: e.contact_id === null ? null : Number(e.contact_id),
  state: e.state,
  current_step: e.current_step,
  next_step_at: iso(e.next_step_at),
  workflow_id: e.workflow_id,
  created_at: e.created_at.toISOString(),
  updated_at: e.updated_at.toISOString(),
  ended_at: iso(e.ended_at),
});
