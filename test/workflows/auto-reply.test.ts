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
  it('stores the message, plans the answer and marks it read inside one workflow task (local activities)', async () => {
    const env = await workflowEnvironment();
    const calls: string[] = [];
    const activities = {
      async recordInbound() {
        calls.push('recordInbound');
        return { messageId: 7, contactId: 3 };
      },
      async planAutoReply() {
        calls.push('planAutoReply');
        return { action: 'none' as const, reason: 'no_rule' };
      },
      async markInboundRead() {
        calls.push('markInboundRead');
        return true;
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
      assert.equal(events.filter((e) => e.markerRecordedEventAttributes).length, 4, 'the patch and 3 local activities');
      assert.equal(events.filter((e) => e.workflowTaskCompletedEventAttributes).length, 1, 'one workflow task');
      await recordHistory(handle, 'auto-reply-local');
    });
    assert.deepEqual(calls, ['recordInbound', 'planAutoReply', 'markInboundRead']);
  });
});
