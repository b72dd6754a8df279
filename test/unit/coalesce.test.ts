import assert from 'node:assert/strict';
import { coalesce } from '../../activities/coalesce';

describe('coalesce', () => {
  it('runs callers of the same moment as one batch, and callers arriving meanwhile as the next', async () => {
    const batches: number[][] = [];
    const double = coalesce(async (keys: number[]) => {
      batches.push(keys);
      await new Promise((resolve) => setTimeout(resolve, 20));
      return keys.map((k) => k * 2);
    }, 10);
    const first = [1, 2, 3].map(double);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = [4, 5].map(double);
    assert.deepEqual(await Promise.all([...first, ...second]), [2, 4, 6, 8, 10]);
    assert.deepEqual(batches, [
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('never puts more than maxBatch callers in one batch', async () => {
    const sizes: number[] = [];
    const echo = coalesce(async (keys: number[]) => {
      sizes.push(keys.length);
      return keys;
    }, 4);
    assert.deepEqual(await Promise.all(Array.from({ length: 10 }, (_, i) => echo(i))), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(sizes, [4, 4, 2]);
  });

  it('fails every caller of a failed batch, and the next batch runs normally', async () => {
    let calls = 0;
    const flaky = coalesce(async (keys: string[]) => {
      calls++;
      if (calls === 1) throw new Error('database down');
      return keys.map((k) => k.toUpperCase());
    }, 10);
    const failed = await Promise.allSettled(['a', 'b'].map(flaky));
    assert.deepEqual(
      failed.map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.match(String((failed[0] as PromiseRejectedResult).reason), /database down/);
    assert.equal(await flaky('c'), 'C');
  });
});
