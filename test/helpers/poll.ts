/** Polls until `check` returns a truthy value or the deadline passes; never a bare sleep. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false | null> | T | undefined | false | null,
  { timeoutMs = 15_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Holds for a while and fails if `check` ever becomes true: for "never sent" assertions. */
export async function staysFalse(
  check: () => boolean | Promise<boolean>,
  forMs: number,
  what = 'condition',
): Promise<void> {
  const until = Date.now() + forMs;
  while (Date.now() < until) {
    if (await check()) throw new Error(`${what} happened`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
