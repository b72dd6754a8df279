import assert from 'node:assert/strict';
import type { DueDelivery } from '../../activities/deliver-when-due';
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

describe('autoReplyWorkflow answering (activities mocked)', () => {
  it('sends the planned answer as the child workflow message-<id>, on the same send path as every message', async () => {
    const env = await workflowEnvironment();
    const replyId = 1_000_000 + (Date.now() % 1_000_000);
    const delivered: number[] = [];
    const activities = {
      async handleInbound() {
        return {
          messageId: 7,
          contactId: 3,
          plan: {
            action: 'reply' as const,
            messageId: replyId,
            phoneNumber: '+4915112345678',
            kind: 'rule',
            ruleId: 1,
          },
        };
      },
      async deliverWhenDue(messageId: number): Promise<DueDelivery> {
        delivered.push(messageId);
        return { kind: 'done', outcome: { status: 'sent', providerMessageId: 'wamid.reply' } };
      },
      async recordOutcome(): Promise<void> {},
    };
    const taskQueue = newTaskQueue();
    await withWorkers(taskQueue, activities, async () => {
      const wamid = `wamid.reply${Date.now()}`;
      const handle = await env.client.workflow.start(autoReplyWorkflow, {
        taskQueue,
        workflowId: inboundWorkflowId(wamid),
        args: [event(wamid)],
      });
      const result = await handle.result();
      assert.equal(result.inboundMessageId, 7);
      assert.equal(result.plan.action, 'reply');
      assert.deepEqual(result.replyOutcome, { status: 'sent', providerMessageId: 'wamid.reply' });
      const events = (await handle.fetchHistory()).events ?? [];
      const child = events.find((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
      assert.equal(child?.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId, `message-${replyId}`);
      await recordHistory(handle, 'auto-reply-one-step-reply');
    });
    assert.deepEqual(delivered, [replyId]);
  });
});
