/** Runs `count` calls of `task` with `concurrency` in flight; returns each call's latency in ms and the wall time. */
export async function runConcurrently(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = new Array(count);
  let next = 0;
  const started = performance.now();
  const client = async () => {
    while (next < count) {
      const index = next++;
      const t0 = performance.now();
      await task(index);
      latencies[index] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, client));
  return { latencies, wallMs: performance.now() - started };
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
