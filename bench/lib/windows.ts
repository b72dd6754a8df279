/**
 * The most events in any window of `windowMs` placed anywhere (not on a grid): what a rate limiter lets through at
 * worst.
 */
export function maxInSlidingWindow(timestamps: number[], windowMs: number): number {
  const at = [...timestamps].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < at.length; hi++) {
    while (at[hi] - at[lo] >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
