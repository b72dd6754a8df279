import assert from 'node:assert/strict';
import { createDueBurst } from '../../activities/due-burst';

const after = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('due burst', () => {
  it('lets a finished send report back only once the sends still under way have left', async () => {
    const burst = createDueBurst(5_000);
    const order: string[] = [];
    const finishFirst = burst
      .send(async () => 'first')
      .then(async (value) => {
        await burst.othersLeft();
        order.push(`${value} reports`);
      });
    const slowSend = burst.send(async () => {
      await after(30);
      order.push('slow sent');
    });
    await Promise.all([finishFirst, slowSend]);
    assert.deepEqual(order, ['slow sent', 'first reports']);
  });

  it('holds a report no longer than its bound when another send hangs', async () => {
    const burst = createDueBurst(20);
    let release = () => {};
    const hanging = burst.send(() => new Promise<void>((resolve) => (release = resolve)));
    const started = Date.now();
    await burst.othersLeft();
    assert.ok(Date.now() - started >= 15, 'the report waited for the bound');
    release();
    await hanging;
  });

  it('holds nothing when no send is under way, and a failed send counts as left', async () => {
    const burst = createDueBurst(5_000);
    await assert.rejects(
      burst.send(async () => {
        throw new Error('429');
      }),
      /429/,
    );
    const started = Date.now();
    await burst.othersLeft();
    assert.ok(Date.now() - started < 1_000, 'reported at once, not after the 5 s bound');
  });
});
