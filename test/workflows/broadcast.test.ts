import assert from 'node:assert/strict';
import type { BroadcastResult, BroadcastStart } from '../../activities/broadcasts';
import type { ChunkResult } from '../../activities/deliver-chunk';
import { messageWorkflowId } from '../../workflows/definitions';
import { broadcastWorkflow } from '../../workflows';
import { recordHistory } from '../helpers/record-history';
import { newTaskQueue, withWorkers, workflowEnvironment } from '../helpers/workflow-env';

// More than one run holds: a run reads three pages of 4 chunks of 100 before it continues as new.
const RECIPIENTS = 1_250;
const PAGE = 400;

/** A broadcast's recipients as the database activities would page them, with every delivery recorded. */
function broadcastDatabase(recipients: number, retryOnce: number[] = []) {
  const ids = Array.from({ length: recipients }, (_, i) => i + 1);
  const seen = { starts: 0, pages: [] as number[], delivered: [] as number[], chunks: 0 };
  const toRetry = new Set(retryOnce);
  const activities = {
    async startBroadcast(): Promise<BroadcastStart> {
      seen.starts++;
      return { outcome: 'started', recipients };
    },
    async broadcastChunk(_parentId: number, afterId: number, limit: number): Promise<number[]> {
      seen.pages.push(afterId);
      return ids.filter((id) => id > afterId).slice(0, limit);
    },
    async deliverChunk(chunk: number[]): Promise<ChunkResult> {
      seen.chunks++;
      const retry = chunk.filter((id) => toRetry.delete(id));
      seen.delivered.push(...chunk.filter((id) => !retry.includes(id)));
      return retry.length ? { retry, lastError: { code: 'rate_limited', message: '429' } } : { retry };
    },
    async finishBroadcast(): Promise<BroadcastResult> {
      return { status: 'sent', counts: { sent: seen.delivered.length } as BroadcastResult['counts'] };
    },
    async failDeliveries(): Promise<void> {
      throw new Error('no delivery should fail here');
    },
    // Not a template broadcast: nothing holds it back.
    async messagingAllowance(): Promise<null> {
      return null;
    },
  };
  return { seen, activities };
}

describe('broadcastWorkflow (activities mocked)', () => {
  it('continues as new with only its cursor, and every recipient is delivered exactly once across the runs', async () => {
    const env = await workflowEnvironment();
    const { seen, activities } = broadcastDatabase(RECIPIENTS, [7]);
    const taskQueue = newTaskQueue();
    const messageId = Date.now();
    await withWorkers(taskQueue, activities, async () => {
      const handle = await env.client.workflow.start(broadcastWorkflow, {
        taskQueue,
        workflowId: messageWorkflowId(messageId),
        // Three pages a run (the default is 25), so 2,000 recipients take two runs.
        args: [{ messageId, pagesPerRun: 3 }],
      });
      const result = await handle.result();
      assert.deepEqual(result, { status: 'sent', counts: { sent: RECIPIENTS } });

      // Started once; the second run resumed after the cursor 1200 without starting again.
      assert.equal(seen.starts, 1);
      assert.deepEqual(seen.pages, [0, PAGE, 2 * PAGE, 3 * PAGE, RECIPIENTS]);
      assert.deepEqual(
        [...seen.delivered].sort((a, b) => a - b),
        Array.from({ length: RECIPIENTS }, (_, i) => i + 1),
      );
      // Recipient 7's retryable failure came back once, after a durable backoff.
      assert.equal(seen.chunks, Math.ceil(RECIPIENTS / 100) + 1);

      const firstRunId = handle.firstExecutionRunId;
      const first = await env.client.workflow.getHandle(handle.workflowId, firstRunId).describe();
      assert.equal(first.status.name, 'CONTINUED_AS_NEW');
      const last = await env.client.workflow.getHandle(handle.workflowId).describe();
      assert.notEqual(last.runId, firstRunId);
      assert.equal(last.status.name, 'COMPLETED');
      await recordHistory(handle, 'broadcast-first-run', firstRunId);
      await recordHistory(handle, 'broadcast-last-run', last.runId);
    });
  });

  it('by default sends 1,250 recipients in one run: it continues as new only after 25 pages', async () => {
    const env = await workflowEnvironment();
    const { seen, activities } = broadcastDatabase(RECIPIENTS);
    const taskQueue = newTaskQueue();
    const messageId = Date.now() + 2;
    await withWorkers(taskQueue, activities, async () => {
      const handle = await env.client.workflow.start(broadcastWorkflow, {
        taskQueue,
        workflowId: messageWorkflowId(messageId),
        args: [{ messageId }],
      });
      assert.deepEqual(await handle.result(), { status: 'sent', counts: { sent: RECIPIENTS } });
      assert.equal(seen.delivered.length, RECIPIENTS);
      const only = await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
      assert.equal(only.status.name, 'COMPLETED');
    });
  });

  it('does not send before its time and waits again when the database moved it', async () => {
    const env = await workflowEnvironment();
    const { seen, activities } = broadcastDatabase(3);
    const later = new Date(Date.now() + 3_000).toISOString();
    let asked = 0;
    const startBroadcast = async (): Promise<BroadcastStart> =>
      asked++ === 0 ? { outcome: 'not_due', scheduledAt: later } : activities.startBroadcast();
    const taskQueue = newTaskQueue();
    const messageId = Date.now() + 1;
    await withWorkers(taskQueue, { ...activities, startBroadcast }, async () => {
      const handle = await env.client.workflow.start(broadcastWorkflow, {
        taskQueue,
        workflowId: messageWorkflowId(messageId),
        args: [{ messageId }],
      });
      assert.equal((await handle.result()).status, 'sent');
      assert.ok(Date.now() >= Date.parse(later), 'finished only after the new time');
      assert.equal(asked, 2);
      assert.deepEqual(seen.delivered, [1, 2, 3]);
    });
  });
});
