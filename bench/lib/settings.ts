/** Benchmark sizes, from BENCH_* variables; the defaults finish the whole run in a few minutes on 2 cores. */
const int = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
};

export const BENCH_NAMES = ['schedule', 'send', 'lateness', 'sync', 'webhook'] as const;
export type BenchName = (typeof BENCH_NAMES)[number];

/** What issue 5 names as the full sizes; the defaults below are smaller where the full size takes too long on 2 cores. */
export const FULL_SIZES = {
  BENCH_SCHEDULE_N: 2_000,
  BENCH_SEND_N: 10_000,
  BENCH_LATENESS_N: 1_000,
  BENCH_SYNC_N: 100_000,
};

export function loadSettings() {
  const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const name of only) if (!(BENCH_NAMES as readonly string[]).includes(name)) throw new Error(`BENCH_ONLY: unknown benchmark "${name}" (${BENCH_NAMES.join(', ')})`);
  return {
    only: (only.length > 0 ? only : [...BENCH_NAMES]) as BenchName[],
    schedule: { n: int('BENCH_SCHEDULE_N', 2_000), concurrency: int('BENCH_SCHEDULE_CONCURRENCY', 32) },
    send: { n: int('BENCH_SEND_N', 2_000), cappedN: int('BENCH_SEND_CAPPED_N', 1_200), cap: int('BENCH_SEND_CAP', 80) },
    lateness: { n: int('BENCH_LATENESS_N', 1_000), leadMs: int('BENCH_LATENESS_LEAD_MS', 30_000) },
    sync: { n: int('BENCH_SYNC_N', 100_000) },
    webhook: { seconds: int('BENCH_WEBHOOK_SECONDS', 10), connections: int('BENCH_WEBHOOK_CONNECTIONS', 10) },
  };
}

export type Settings = ReturnType<typeof loadSettings>;
