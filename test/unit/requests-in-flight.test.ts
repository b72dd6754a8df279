import assert from 'node:assert/strict';
import type { Context } from 'koa';
import { createRequestsInFlight } from '../../src/runtime/requests-in-flight';

const after = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('requests in flight (what the background loops give way to)', () => {
  it('is busy while a request is answered and for the given time after, then idle', async () => {
    const requests = createRequestsInFlight();
    assert.equal(requests.busy(50), false, 'idle before any request');
    let finish = () => {};
    const answering = requests.middleware({} as Context, () => new Promise<void>((resolve) => (finish = resolve)));
    assert.equal(requests.count, 1);
    assert.equal(requests.busy(0), true, 'busy while answering');
    finish();
    await answering;
    assert.equal(requests.count, 0);
    assert.equal(requests.busy(50), true, 'still giving way just after the answer');
    await after(70);
    assert.equal(requests.busy(50), false, 'idle once the time has passed');
  });
});
