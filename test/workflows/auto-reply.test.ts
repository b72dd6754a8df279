import assert from 'node:assert/strict';
import { autoReplyWorkflow } from '../../workflows';
import { inboundWorkflowId, type InboundEvent } from '../../workflows/inbound-definitions';
import { recordHistory } from '../helpers/record-history';
import { newTaskQueue, withWorkers, workflowEnvironment } from '../helpers/workflow-env';

const event = (wamid: string): InboundEvent => ({
  wamid,
  fromWaId: '4915112345678',
  type: 'text',
  timestamp: String(Math.floor(Date.now() / 1000)),
  text: 'hello',
  field: 'messages',
  raw: {},
});

describe('autoReplyWorkflow (activities mocked)', () => {
  it('stores the message, plans the answer and marks it read in one local activity of one workflow task', async () => {
    const env = await workflowEnvironment();
    const calls: string[] = [];
    const activities = {
      async handleInbound(inbound: InboundEvent) {
        calls.push(`handleInbound ${inbound.wamid}`);
        return { messageId: 7, contactId: 3, plan: { action: 'none' as const, reason: 'no_rule' } };
      },
    };
    const taskQueue = newTaskQueue();
    await withWorkers(taskQueue, activities, async () => {
      const wamid = `wamid.${Date.now()}`;
      const handle = await env.client.workflow.start(autoReplyWorkflow, {
        taskQueue,
        workflowId: inboundWorkflowId(wamid),
        args: [event(wamid)],
      });
      assert.deepEqual(await handle.result(), {
        inboundMessageId: 7,
        contactId: 3,
        plan: { action: 'none', reason: 'no_rule' },
      });
      const events = (await handle.fetchHistory()).events ?? [];
      assert.equal(events.filter((e) => e.activityTaskScheduledEventAttributes).length, 0, 'no activity tasks');
      assert.equal(events.filter((e) => e.markerRecordedEventAttributes).length, 3, 'two patches and 1 local activity');
      assert.equal(events.filter((e) => e.workflowTaskCompletedEventAttributes).length, 1, 'one workflow task');
      await recordHistory(handle, 'auto-reply-one-step');
      assert.deepEqual(calls, [`handleInbound ${wamid}`]);
    });
  });
});
