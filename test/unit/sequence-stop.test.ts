import assert from 'node:assert/strict';
import { stopBefore } from '../../workflows/sequence-enrollment';
import type { StepView } from '../../workflows/sequence-definitions';

const step = (onlyIfNoReply: boolean) => ({ onlyIfNoReply, dueAt: '2026-12-03T10:00:00.000Z' });
const view = (fields: Partial<StepView>): StepView => ({
  enrollment: 'active',
  contact: 'present',
  replied: false,
  step: step(false),
  ...fields,
});

describe('what ends an enrolment before a step', () => {
  it('goes on while active, present and (for only_if_no_reply) silent', () => {
    assert.equal(stopBefore(view({})), undefined);
    assert.equal(
      stopBefore(view({ replied: true })),
      undefined,
      'a reply does not stop a step without only_if_no_reply',
    );
  });

  it('names the reason, the enrolment first, then the contact, then the step', () => {
    assert.equal(stopBefore(view({ enrollment: 'missing' })), 'cancelled');
    assert.equal(stopBefore(view({ enrollment: 'cancelled', contact: 'opted_out' })), 'cancelled');
    assert.equal(stopBefore(view({ contact: 'removed' })), 'stopped_removed');
    assert.equal(stopBefore(view({ contact: 'opted_out', replied: true })), 'stopped_opted_out');
    assert.equal(stopBefore(view({ step: undefined })), 'completed');
    assert.equal(stopBefore(view({ step: step(true), replied: true })), 'stopped_replied');
  });
});
