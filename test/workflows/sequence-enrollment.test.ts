import assert from 'node:assert/strict';
import type { DueDelivery } from '../../activities/deliver-when-due';
import { sequenceEnrollmentWorkflow } from '../../workflows';
import type { EndedState, StepMessage, StepView } from '../../workflows/sequence-definitions';
import { sequenceWorkflowId } from '../../workflows/sequence-definitions';
import { eventually } from '../helpers/poll';
import { recordHistory } from '../helpers/record-history';
import { newTaskQueue, withWorkers, workflowEnvironment } from '../helpers/workflow-env';

const SENT: DueDelivery = { kind: 'done', outcome: { status: 'sent', providerMessageId: 'wamid.test' } };
const STEP_DELAY_MS = 3_000;

/**
 * Postgres as the activities see it, in memory: a template now, then text 3 s later only if
 * the contact has not written. The test plays the contact (`replied`) while the workflow sleeps.
 */
function sequenceStore() {
  const steps = [
    { onlyIfNoReply: false, delayMs: 0 },
    { onlyIfNoReply: true, delayMs: STEP_DELAY_MS },
  ];
  const state = { replied: false, sentAt: [] as number[], ended: undefined as EndedState | undefined };
  const enrolledAt = Date.now();
  const activities = {
    async viewSequenceStep(_id: number, index: number): Promise<StepView> {
      const step = steps[index];
      const base = index === 0 ? enrolledAt : state.sentAt[index - 1];
      const view = { enrollment: 'active' as const, contact: 'present' as const, replied: state.replied };
      return step
        ? { ...view, step: { onlyIfNoReply: step.onlyIfNoReply, dueAt: new Date(base + step.delayMs).toISOString() } }
        : view;
    },
    async createSequenceStepMessage(_id: number, index: number): Promise<StepMessage> {
      state.sentAt[index] = Date.now();
      return { messageId: Date.now() * 10 + index, phoneNumber: '+4915112345678' };
    },
    async deliverWhenDue(): Promise<DueDelivery> {
      return SENT;
    },
    async recordOutcome(): Promise<void> {},
    async endSequenceEnrollment(_id: number, ended: EndedState): Promise<void> {
      state.ended = ended;
    },
  };
  return { state, activities };
}

describe('sequenceEnrollmentWorkflow (activities mocked)', () => {
  let contactId = Date.now();
  const start = async (taskQueue: string) => {
    const env = await workflowEnvironment();
    contactId++;
    return env.client.workflow.start(sequenceEnrollmentWorkflow, {
      taskQueue,
      workflowId: sequenceWorkflowId(1, contactId),
      args: [{ enrollmentId: contactId, sequenceId: 1, contactId }],
    });
  };

  it('sends the first step at once, waits the delay durably, and stops on a reply before an only_if_no_reply step', async () => {
    const store = sequenceStore();
    const taskQueue = newTaskQueue();
    await withWorkers(taskQueue, store.activities, async () => {
      const handle = await start(taskQueue);
      await eventually(() => store.state.sentAt.length === 1, { what: 'the first step' });
      store.state.replied = true;
      assert.equal(await handle.result(), 'stopped_replied');
      await recordHistory(handle, 'sequence-stopped-replied');
    });
    assert.equal(store.state.sentAt.length, 1, 'the second step was not sent');
    assert.equal(store.state.ended, 'stopped_replied');
  });

  it('without a reply sends the second step after its delay and completes', async () => {
    const store = sequenceStore();
    const taskQueue = newTaskQueue();
    await withWorkers(taskQueue, store.activities, async () => {
      const handle = await start(taskQueue);
      assert.equal(await handle.result(), 'completed');
      const history = await handle.fetchHistory();
      const timers = history.events?.filter((e) => e.timerStartedEventAttributes) ?? [];
      assert.equal(timers.length, 1, 'one durable timer, for the delayed step');
      await recordHistory(handle, 'sequence-completed');
    });
    assert.equal(store.state.sentAt.length, 2);
    const gap = store.state.sentAt[1] - store.state.sentAt[0];
    assert.ok(gap >= STEP_DELAY_MS - 100, `second step ${gap} ms after the first`);
    assert.equal(store.state.ended, 'completed');
  });
});
