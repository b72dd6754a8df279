import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { ApplicationFailure } from '@temporalio/common';
import pino from 'pino';
import { sdkLogSink } from '../../src/temporal/sdk-logging';

describe('Temporal SDK log lines', () => {
  it('an "Activity failed" line carries the failure message, not only its type', () => {
    const lines: string[] = [];
    const out = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const sink = sdkLogSink(pino({ level: 'warn' }, out));
    const error = ApplicationFailure.create({
      message: 'WordPress rejected the credentials (401) at http://wp/x',
      type: 'unauthorized',
      nonRetryable: true,
    });
    sink({ level: 'WARN', message: 'Activity failed', meta: { error, durationMs: 12 }, timestampNanos: 0n });
    const line = JSON.parse(lines[0]);
    assert.equal(line.msg, 'Activity failed');
    assert.equal(line.temporal.error.type, 'unauthorized');
    assert.equal(line.temporal.error.message, 'WordPress rejected the credentials (401) at http://wp/x');
    assert.equal(line.temporal.durationMs, 12);
  });
});
