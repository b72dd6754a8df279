import type { Client } from '@temporalio/client';
import { delay } from './pool';

/** Workflow executions (each run of a continued-as-new workflow counts) matching a visibility query, or all of them. */
export async function countExecutions(client: Client, query?: string): Promise<number> {
  return (await client.workflow.count(query)).count;
}

/**
 * Polls the count until it reaches `expected`; returns when it did (ms since epoch). Visibility
 * trails the start by a little, so the time is a slight overestimate, never an underestimate.
 */
export async function whenCountReaches(
  client: Client,
  query: string,
  expected: number,
  timeoutMs: number,
  intervalMs = 100,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (Date.now() < deadline) {
    seen = await countExecutions(client, query);
    if (seen >= expected) return Date.now();
    await delay(intervalMs);
  }
  throw new Error(`only ${seen} of ${expected} workflows (${query}) exist after ${Math.round(timeoutMs / 1000)} s`);
}

/**
 * Counts of all executions until two readings `settleMs` apart agree (the last starts and continue-as-news have landed
 * in visibility).
 */
export async function settledCount(client: Client, settleMs = 1_000, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = await countExecutions(client);
  while (Date.now() < deadline) {
    await delay(settleMs);
    const now = await countExecutions(client);
    if (now === last) return now;
    last = now;
  }
  return last;
}

/** Describes every id (strongly consistent, unlike the count); returns the ids Temporal does not know. */
export async function missingWorkflows(client: Client, ids: string[], concurrency = 16): Promise<string[]> {
  const missing: string[] = [];
  let next = 0;
  const lane = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      try {
        await client.workflow.getHandle(id).describe();
      } catch (err) {
        if ((err as Error).name === 'WorkflowNotFoundError') missing.push(id);
        else throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return missing;
}
