import { WordPressError } from './errors';

// A few quick retries absorb a blip (one 429, one 502) without failing the activity;
// longer outages go to Temporal's activity retry policy, which backs off for minutes.
export const QUICK_RETRY = { attempts: 4, baseDelayMs: 250, maxDelayMs: 5_000 };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Stops retrying once `signal` aborts (the activity was cancelled). */
export async function withQuickRetries<T>(
  call: () => Promise<T>,
  onRetry?: (err: WordPressError, attempt: number) => void,
  policy = QUICK_RETRY,
  signal?: AbortSignal,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof WordPressError) || !err.retryable || attempt >= policy.attempts || signal?.aborted)
        throw err;
      onRetry?.(err, attempt);
      const backoff = policy.baseDelayMs * 2 ** (attempt - 1);
      await pause(Math.min(policy.maxDelayMs, err.retryAfterMs ?? backoff));
    }
  }
}
