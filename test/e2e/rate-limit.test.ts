import assert from 'node:assert/strict';
import { truncateAll } from '../helpers/database';
import { apiClient, testPhone } from '../helpers/api-client';
import { eventually } from '../helpers/poll';
import { startSystem, type TestSystem } from '../helpers/system';

const RATE = 5;

/** Most requests seen in any window of `ms` milliseconds. */
function busiestWindow(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= ms) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe('the per-number send rate', () => {
  let system: TestSystem;
  let second: TestSystem | undefined;

  before(async () => {
    system = await startSystem({ D360_MAX_MESSAGES_PER_SECOND: String(RATE) });
    await truncateAll(system.db);
  });
  after(async () => {
    await second?.stop();
    await system.stop();
  });

  it(`holds at ${RATE}/s over a burst of 25, across two worker processes' worth of workers`, async () => {
    // A second worker on the same task queues: the cap is the server's, not one process's.
    second = await startSystem({
      D360_MAX_MESSAGES_PER_SECOND: String(RATE),
      TEMPORAL_TASK_QUEUE: system.config.temporal.taskQueue,
      D360_API_URL: system.fake.url,
    });
    const api = apiClient(system.baseUrl);
    const replies = await Promise.all(
      Array.from({ length: 25 }, (_, i) =>
        api.post('/whatsapp/', { phone_number: testPhone(), message: `burst ${i}` }),
      ),
    );
    assert.ok(replies.every((r) => r.status === 201));

    await eventually(() => system.fake.requests.length >= 25, { timeoutMs: 30_000, what: '25 sends' });
    const times = system.fake.requests.map((r) => r.at);
    const busiest = busiestWindow(times, 1000);
    const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
    assert.ok(busiest <= RATE + 1, `${busiest} requests within one second`);
    assert.ok(seconds >= (25 - RATE - 1) / RATE, `25 sends took only ${seconds}s`);
  });
});
