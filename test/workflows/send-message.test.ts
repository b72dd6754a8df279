import assert from 'node:assert/strict';
import { Context } from '@temporalio/activity';
import { WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import type { DueDelivery } from '../../activities/deliver-when-due';
import { messageWorkflowId, rescheduleUpdate, type SendOutcome } from '../../workflows/definitions';
import { sendMessageWorkflow } from '../../workflows';
import { eventually } from '../helpers/poll';
import { recordHistory } from '../helpers/record-history';
import { newTaskQueue, withWorkers, workflowEnvironment } from '../helpers/workflow-env';

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1_000).toISOString();
const SENT_OUTCOME: SendOutcome = { status: 'sent', providerMessageId: 'wamid.test' };
const SENT: DueDelivery = { kind: 'done', outcome: SENT_OUTCOME };

interface DeliveryCall {
  due: string;
  ended?: 'cancelled' | 'returned';
}

/**
 * A mocked send queue: each `deliverWhenDue` waits in the worker (heartbeating, like the real
 * one during the send lead) until the test releases it with a result, or until it is cancelled.
 */
function sendQueue() {
  const calls: DeliveryCall[] = [];
  const outcomes: SendOutcome[] = [];
  let release: DueDelivery | undefined;
  const activities = {
    async deliverWhenDue(_messageId: number, due: string): Promise<DueDelivery> {
      const call: DeliveryCall = { due };
      calls.push(call);
      try {
        for (;;) {
          const result = release;
          if (result) {
            call.ended = 'returned';
            release = result.kind === 'not_due' ? undefined : result;
            return result;
          }
          Context.current().heartbeat();
          await Context.current().sleep(50);
        }
      } catch (err) {
        call.ended = 'cancelled';
        throw err;
      }
    },
    async recordOutcome(_messageId: number, outcome: SendOutcome): Promise<void> {
      outcomes.push(outcome);
    },
  };
  return { calls, outcomes, activities, releaseWith: (result: DueDelivery) => (release = result) };
}

const callsSoFar = (calls: DeliveryCall[], count: number) => () => calls.length >= count;

async function assertCancelled(handle: WorkflowHandle): Promise<void> {
  await assert.rejects(
    handle.result(),
    (err: unknown) => err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure,
  );
}

describe('sendMessageWorkflow (activities mocked)', () => {
  let messageId = Date.now();
  const start = async (taskQueue: string, sendAt: string) => {
    const env = await workflowEnvironment();
    messageId++;
    return env.client.workflow.start(sendMessageWorkflow, {
      taskQueue,
      workflowId: messageWorkflowId(messageId),
      args: [{ messageId, sendAt }],
    });
  };

  it('a reschedule while the send waits in the worker cancels that wait and waits again for the new time', async () => {
    const queue = sendQueue();
    const taskQueue = newTaskQueue();
    await withWorkers(taskQueue, queue.activities, async () => {
      // Inside the 30 s send lead: the send activity starts at once and waits in the worker.
      const handle = await start(taskQueue, inSeconds(10));
      await eventually(callsSoFar(queue.calls, 1), { what: 'the first send to wait' });
      const moved = inSeconds(20);
      assert.equal(await handle.executeUpdate(rescheduleUpdate, { args: [moved] }), moved);
      await eventually(callsSoFar(queue.calls, 2), { what: 'a send for the new time' });
      // The workflow does not wait for the old wait to stop (TRY_CANCEL); its cancellation arrives by heartbeat.
      await eventually(() => queue.calls[0].ended === 'cancelled', {
        what: 'the wait for the old time to be cancelled',
      });
      queue.releaseWith(SENT);
      assert.deepEqual(await handle.result(), SENT_OUTCOME);
      assert.deepEqual(
        queue.calls.map(({ due, ended }) => [due === moved, ended]),
        [
          [false, 'cancelled'],
          [true, 'returned'],
        ],
      );
      await recordHistory(handle, 'send-message-rescheduled');
    });
  });

  it('a cancel while the send waits ends the workflow cancelled, and nothing is recorded', async () => {
    const queue = sendQueue();
    const taskQueue = newTaskQueue();
    await withWorkers(taskQueue, queue.activities, async () => {
      const handle = await start(taskQueue, inSeconds(10));
      await eventually(callsSoFar(queue.calls, 1), { what: 'the send to wait' });
      await handle.cancel();
      await assertCancelled(handle);
      await eventually(() => queue.calls[0].ended === 'cancelled', { what: 'the waiting send to see the cancel' });
      assert.deepEqual(queue.outcomes, []);
      await recordHistory(handle, 'send-message-cancelled');
    });
  });

  it('a reschedule and a cancel at the same moment: the workflow ends cancelled, never sending', async () => {
    const queue = sendQueue();
    const taskQueue = newTaskQueue();
    await withWorkers(taskQueue, queue.activities, async () => {
      const handle = await start(taskQueue, inSeconds(10));
      await eventually(callsSoFar(queue.calls, 1), { what: 'the send to wait' });
      // Either order is possible: the update may be accepted first, or rejected because the workflow is already
      // cancelled.
      await Promise.all([
        handle.executeUpdate(rescheduleUpdate, { args: [inSeconds(20)] }).catch(() => undefined),
        handle.cancel(),
      ]);
      await assertCancelled(handle);
      await eventually(() => queue.calls.every((call) => call.ended === 'cancelled'), {
        what: 'every waiting send to be cancelled',
      });
      assert.ok(queue.calls.length <= 2, `${queue.calls.length} sends started`);
      assert.deepEqual(queue.outcomes, []);
    });
  });

  it('a reschedule into the past is rejected and the send keeps its time', async () => {
    const queue = sendQueue();
    const taskQueue = newTaskQueue();
    await withWorkers(taskQueue, queue.activities, async () => {
      const due = inSeconds(10);
      const handle = await start(taskQueue, due);
      await eventually(callsSoFar(queue.calls, 1), { what: 'the send to wait' });
      await assert.rejects(handle.executeUpdate(rescheduleUpdate, { args: [inSeconds(-60)] }), (err: unknown) => {
        assert.ok(err instanceof WorkflowUpdateFailedError);
        assert.match(String((err.cause as Error).message), /must be in the future/);
        return true;
      });
      queue.releaseWith(SENT);
      assert.equal((await handle.result()).status, 'sent');
      assert.deepEqual(queue.calls, [{ due, ended: 'returned' }]);
    });
  });

  it('a message the database says is not due yet (moved by the API meanwhile) waits for its new time', async () => {
    const queue = sendQueue();
    const taskQueue = newTaskQueue();
    await withWorkers(taskQueue, queue.activities, async () => {
      const handle = await start(taskQueue, inSeconds(5));
      await eventually(callsSoFar(queue.calls, 1), { what: 'the send to wait' });
      const later = inSeconds(15);
      queue.releaseWith({ kind: 'not_due', scheduledAt: later });
      await eventually(callsSoFar(queue.calls, 2), { what: 'a send for the time in the database' });
      queue.releaseWith(SENT);
      assert.equal((await handle.result()).status, 'sent');
      assert.deepEqual(
        queue.calls.map(({ due }) => due === later),
        [false, true],
      );
      await recordHistory(handle, 'send-message-deferred');
    });
  });

  it('a message a WhatsApp rule holds says why in its memo and search attribute until it goes', async () => {
    const queue = sendQueue();
    const taskQueue = newTaskQueue();
    await withWorkers(taskQueue, queue.activities, async () => {
      const handle = await start(taskQueue, inSeconds(5));
      await eventually(callsSoFar(queue.calls, 1), { what: 'the send to wait' });
      const held = { code: 'template_paused', message: 'WhatsApp paused this template' };
      queue.releaseWith({ kind: 'not_due', scheduledAt: inSeconds(15), held });
      await eventually(callsSoFar(queue.calls, 2), { what: 'a send at the next look' });
      const waiting = await handle.describe();
      assert.deepEqual(waiting.memo?.deferred, held);
      assert.deepEqual(waiting.searchAttributes.WaMessageStatus, ['deferred']);
      queue.releaseWith(SENT);
      assert.equal((await handle.result()).status, 'sent');
      const done = await handle.describe();
      assert.equal(done.memo?.deferred, undefined);
      assert.deepEqual(done.searchAttributes.WaMessageStatus, ['sent']);
      await recordHistory(handle, 'send-message-held');
    });
  });
});
