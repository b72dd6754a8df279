import assert from 'node:assert/strict';
import { runPipeline, type PipelineSteps } from '../../src/outbox/pipeline';

const sizes = { take: 4, settleCount: 3, settleMs: 5, takeGapMs: 2 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A source of `total` numbered items whose work takes `delay(item)` ms; it records what the pipeline does. */
function source(
  total: number,
  delay: (item: number) => number,
  overrides: Partial<PipelineSteps<number, number>> = {},
) {
  let next = 0;
  let running = 0;
  const seen = { maxRunning: 0, settled: [] as number[], givenBack: [] as number[], io: 0, maxIo: 0 };
  const io = async <T>(op: () => T): Promise<T> => {
    seen.io++;
    seen.maxIo = Math.max(seen.maxIo, seen.io);
    await sleep(1);
    seen.io--;
    return op();
  };
  const steps: PipelineSteps<number, number> = {
    take: (n) =>
      io(() => {
        const items = Array.from({ length: Math.min(n, total - next) }, (_, i) => next + i);
        next += items.length;
        return items;
      }),
    run: async (item) => {
      running++;
      seen.maxRunning = Math.max(seen.maxRunning, running);
      await sleep(delay(item));
      running--;
      return item;
    },
    settle: (results) => io(() => void seen.settled.push(...results)),
    giveBack: (items) => io(() => void seen.givenBack.push(...items)),
    limit: () => 3,
    halted: () => false,
    woken: () => false,
    ...overrides,
  };
  return { steps, seen };
}

describe('the outbox pipeline', () => {
  it('runs every item once, at most limit() at a time, with one take or settle at a time', async () => {
    const { steps, seen } = source(20, () => 2);
    await runPipeline(steps, sizes);
    assert.deepEqual(
      [...seen.settled].sort((a, b) => a - b),
      Array.from({ length: 20 }, (_, i) => i),
    );
    assert.equal(seen.maxRunning, 3);
    assert.equal(seen.maxIo, 1);
  });

  it('lets no slow item hold up the others (no batch barrier)', async () => {
    const { steps, seen } = source(30, (item) => (item === 0 ? 150 : 2));
    const started = Date.now();
    await runPipeline(steps, sizes);
    assert.equal(seen.settled.length, 30);
    assert.equal(seen.settled.at(-1), 0, 'the slow item finishes last, after all the others went past it');
    assert.ok(Date.now() - started < 400);
  });

  it('gives back what it took but did not run once halted, and settles what ran', async () => {
    let halted = false;
    const { steps, seen } = source(100, () => 5, { halted: () => halted });
    setTimeout(() => (halted = true), 20);
    await runPipeline(steps, sizes);
    assert.ok(seen.givenBack.length > 0);
    assert.equal(new Set([...seen.settled, ...seen.givenBack]).size, seen.settled.length + seen.givenBack.length);
  });

  it('takes again when woken after a short take', async () => {
    let wakes = 1;
    const { steps, seen } = source(2, () => 1, { woken: () => wakes-- > 0 });
    await runPipeline(steps, sizes);
    assert.equal(seen.settled.length, 2);
  });

  it('throws a failed take once the running items have finished', async () => {
    let takes = 0;
    const base = source(100, () => 10);
    const steps = {
      ...base.steps,
      take: (n: number) => (++takes === 2 ? Promise.reject(new Error('database gone')) : base.steps.take(n)),
    };
    await assert.rejects(runPipeline(steps, sizes), /database gone/);
  });
});
