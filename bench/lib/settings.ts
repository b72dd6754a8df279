/** Benchmark sizes, from BENCH_* variables; the defaults finish the whole run in a few minutes on 2 cores. */
const int = (name: string, fallback: number) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
};

export const BENCH_NAMES = [
  'schedule',
  'send',
  'lateness',
  'sync',
  'webhook',
  'mixed',
  'subscriber',
  'import',
  'segment',
] as const;
export type BenchName = (typeof BENCH_NAMES)[number];

/** The sizes issues 5, 10 and 13 name; they are the defaults, and smaller runs say so in their rows. */
export const FULL_SIZES = {
  BENCH_SCHEDULE_N: 2_000,
  BENCH_SEND_N: 10_000,
  BENCH_LATENESS_N: 1_000,
  BENCH_SYNC_N: 100_000,
  BENCH_MIXED_N: 10_000,
  BENCH_IMPORT_N: 100_000,
  BENCH_SEGMENT_N: 10_000,
};

const TEMPORAL_KINDS = { memory: ['memory'], file: ['file'], both: ['memory', 'file'] } as const;

function oneOf<T extends string>(name: string, options: readonly T[], fallback: T): T {
  const raw = process.env[name] || fallback;
  if (!(options as readonly string[]).includes(raw))
    throw new Error(`${name} must be one of ${options.join(', ')}, got "${raw}"`);
  return raw as T;
}

export function loadSettings() {
  const only = (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of only)
    if (!(BENCH_NAMES as readonly string[]).includes(name))
      throw new Error(`BENCH_ONLY: unknown benchmark "${name}" (${BENCH_NAMES.join(', ')})`);
  return {
    only: (only.length > 0 ? only : [...BENCH_NAMES]) as BenchName[],
    /**
     * Which dev servers the schedule and lateness scenarios run on: the in-memory one the tests use, the file-backed
     * one `npm start` runs, or both.
     */
    temporal: [...TEMPORAL_KINDS[oneOf('BENCH_TEMPORAL', ['memory', 'file', 'both'] as const, 'both')]],
    /**
     * Each scenario after the first on new dev servers (`fresh`), or every scenario on the same ones (`shared`): a
     * server keeps working for tens of seconds after a burst, and keeps every workflow of the run in memory.
     */
    freshServers: oneOf('BENCH_TEMPORAL_SERVERS', ['fresh', 'shared'] as const, 'fresh') === 'fresh',
    /** BullMQ on a Redis of the bench's own beside schedule, lateness and send. */
    peer: oneOf('BENCH_PEER', ['on', 'off'] as const, 'on') === 'on',
    schedule: { n: int('BENCH_SCHEDULE_N', 2_000), concurrency: int('BENCH_SCHEDULE_CONCURRENCY', 32) },
    send: {
      n: int('BENCH_SEND_N', 10_000),
      cappedN: int('BENCH_SEND_CAPPED_N', 1_200),
      cap: int('BENCH_SEND_CAP', 80),
      /** The rules-overhead rows: recipients of each template broadcast, and single messages (four runs each). */
      rulesN: int('BENCH_SEND_RULES_N', 2_000),
      rulesSingles: int('BENCH_SEND_RULES_SINGLES', 500),
    },
    lateness: { n: int('BENCH_LATENESS_N', 1_000), leadMs: int('BENCH_LATENESS_LEAD_MS', 30_000) },
    sync: { n: int('BENCH_SYNC_N', 100_000) },
    /** CSV rows through POST /contacts/import/, and the bare COPY of the same rows. */
    import: { n: int('BENCH_IMPORT_N', 100_000) },
    /** Recipients of the segment broadcast and of the group broadcast it is compared with. */
    segment: { n: int('BENCH_SEGMENT_N', 10_000) },
    webhook: { seconds: int('BENCH_WEBHOOK_SECONDS', 10), connections: int('BENCH_WEBHOOK_CONNECTIONS', 10) },
    /** Send and webhook figures without and with a slow event subscriber. */
    subscriber: {
      sendN: int('BENCH_SUBSCRIBER_SEND_N', 2_000),
      seconds: int('BENCH_WEBHOOK_SECONDS', 10),
      connections: int('BENCH_WEBHOOK_CONNECTIONS', 10),
      delayMs: int('BENCH_SUBSCRIBER_DELAY_MS', 2_000),
      rounds: int('BENCH_SUBSCRIBER_ROUNDS', 2),
    },
    mixed: {
      n: int('BENCH_MIXED_N', 10_000),
      cap: int('BENCH_MIXED_CAP', 1_000),
      connections: int('BENCH_MIXED_CONNECTIONS', 10),
      /**
       * How long the status poster may go on after the broadcast's last send before what is left is counted as backlog.
       */
      drainSeconds: int('BENCH_MIXED_DRAIN_SECONDS', 30),
    },
  };
}

export type Settings = ReturnType<typeof loadSettings>;
