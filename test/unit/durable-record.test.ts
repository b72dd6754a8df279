import assert from 'node:assert/strict';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger, type LogEntry } from '@temporalio/worker';
import { recordUntilItLands } from '../../activities/durable-record';
import { sendRecordRetries } from '../../src/metrics/registry';

describe('recordUntilItLands', () => {
  it('retries a failing record until it lands, and counts and logs each failure with its reason', async () => {
    const retriesBefore = (await sendRecordRetries.get()).values[0]?.value ?? 0;
    const entries: LogEntry[] = [];
    const env = new MockActivityEnvironment(undefined, {
      logger: new DefaultLogger('WARN', (entry) => entries.push(entry)),
    });
    let calls = 0;
    const result = await env.run(() =>
      recordUntilItLands(async () => {
        calls++;
        if (calls < 3) throw new Error('duplicate key value violates unique constraint');
        return 'recorded';
      }),
    );
    assert.equal(result, 'recorded');
    assert.equal(calls, 3);
    assert.equal((await sendRecordRetries.get()).values[0]?.value, retriesBefore + 2);
    const warnings = entries.filter((e) => e.level === 'WARN');
    assert.equal(warnings.length, 2);
    assert.match(warnings[0].message, /could not record what WhatsApp answered/);
    assert.equal(warnings[0].meta?.error, 'duplicate key value violates unique constraint');
    assert.deepEqual(
      warnings.map((w) => w.meta?.attempt),
      [1, 2],
    );
  });
});
