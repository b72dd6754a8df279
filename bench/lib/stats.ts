/** Nearest-rank percentile of already-sorted numbers. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export interface Spread {
  p50: number;
  p99: number;
  max: number;
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN };
}

export const ms = (value: number) => (value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`);
export const perSecond = (value: number) =>
  `${value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1)}/s`;
export const ratio = (value: number, baseline: number) => value / baseline;
export const fmtRatio = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(2);
export const spreadText = (s: Spread) => `p50 ${ms(s.p50)}, p99 ${ms(s.p99)}, max ${ms(s.max)}`;

/**
 * Events per second in every window of `windowMs` sliding by `stepMs` across the run
 * (first event to last). A run shorter than one window yields one partial window, flagged.
 */
export function windowRates(
  timestamps: number[],
  windowMs: number,
  stepMs = 100,
): { rates: number[]; partial: boolean } {
  const at = [...timestamps].sort((a, b) => a - b);
  const first = at[0];
  const last = at[at.length - 1];
  if (last - first < windowMs) return { rates: [(at.length / Math.max(1, last - first)) * 1000], partial: true };
  const rates: number[] = [];
  let lo = 0;
  let hi = 0;
  for (let start = first; start + windowMs <= last; start += stepMs) {
    while (lo < at.length && at[lo] < start) lo++;
    while (hi < at.length && at[hi] < start + windowMs) hi++;
    rates.push(((hi - lo) / windowMs) * 1000);
  }
  return { rates, partial: false };
}
