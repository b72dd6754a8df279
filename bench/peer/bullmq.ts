import { fork } from 'node:child_process';
import path from 'node:path';
import { Queue, type ConnectionOptions } from 'bullmq';
import { Fake360Dialog } from '../../test/fakes/fake-360dialog';
import { eventually } from '../../test/helpers/poll';
import { benchPhone } from '../lib/context';
import { runConcurrently } from '../lib/pool';
import { startRedis, type RedisServer } from '../lib/redis-server';

/*
 * The peer a Node team would pick instead: BullMQ 5 on a Redis with appendfsync always, doing
 * what the product does in each scenario. A job's work is the product's own 360Dialog call
 * (the same client, connection pool size and body) against a fresh fake 360Dialog.
 */
const FAR_FUTURE_MS = 30 * 86_400_000;
const WARMUP = 50;
/** The product's D360_MAX_CONNECTIONS default, as the worker's concurrency and the HTTP pool. */
export const PEER_CONCURRENCY = Number(process.env.BENCH_PEER_CONCURRENCY || 64);

interface Job {
  i: number;
  phone: string;
}

export interface Peer {
  /** Adds of delayed jobs from `producers` at once: wall time and each add's latency. */
  schedule(n: number, producers: number): Promise<{ wallMs: number; latencies: number[] }>;
  /** `n` jobs due at one instant `leadMs` ahead: when each call reached the fake, and the instant. */
  dueAtOnce(n: number, leadMs: number): Promise<{ dueAt: number; at: number[] }>;
  /**
   * `n` jobs each making the call, added in bulk, limited to `perSecond` if given: when the adds began and when each
   * call arrived.
   */
  send(n: number, perSecond?: number): Promise<{ startedAt: number; at: number[] }>;
  stop(): Promise<void>;
}

let sequence = 0;

interface WorkerProcess {
  waitUntilReady(): Promise<void>;
  close(): Promise<void>;
}

/** BullMQ's worker in a process of its own (bench/peer/bullmq-worker.ts), as the product's worker runs. */
function forkWorker(args: Record<string, unknown>): WorkerProcess {
  const child = fork(path.join(__dirname, 'bullmq-worker.ts'), [JSON.stringify(args)], { stdio: 'inherit' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    void exited.then(() => reject(new Error('the BullMQ worker process exited before it was ready')));
  });
  return {
    waitUntilReady: () => ready,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.send('close');
      await exited;
    },
  };
}

export async function startPeer(): Promise<Peer> {
  const redis: RedisServer = await startRedis();
  const connection: ConnectionOptions = { host: '127.0.0.1', port: redis.port, maxRetriesPerRequest: null };
  const open: { close(): Promise<void> }[] = [];

  /** A queue of its own per scenario, a worker making the 360Dialog call when asked for one. */
  async function setUp(limiter?: { max: number; duration: number }) {
    const name = `bench-${Date.now().toString(36)}-${++sequence}`;
    const fake = await new Fake360Dialog().start();
    const queue = new Queue<Job>(name, { connection });
    const startWorker = () => {
      const worker = forkWorker({
        queue: name,
        redisPort: redis.port,
        apiUrl: fake.url,
        apiKey: fake.apiKey,
        concurrency: PEER_CONCURRENCY,
        limiter,
      });
      open.push(worker);
      return worker;
    };
    const tearDown = async () => {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await fake.stop();
    };
    return { queue, fake, startWorker, tearDown, sends: () => fake.requests.filter((r) => r.path === '/messages') };
  }

  return {
    async schedule(n, producers) {
      const { queue, tearDown } = await setUp();
      try {
        const add = async (i: number) =>
          void (await queue.add('send', { i, phone: benchPhone(7, i) }, { delay: FAR_FUTURE_MS }));
        await runConcurrently(WARMUP, producers, add);
        return await runConcurrently(n, producers, (i) => add(WARMUP + i));
      } finally {
        await tearDown();
      }
    },

    async dueAtOnce(n, leadMs) {
      const { queue, startWorker, tearDown, sends } = await setUp();
      const worker = startWorker();
      try {
        await worker.waitUntilReady();
        const dueAt = Date.now() + leadMs;
        await runConcurrently(
          n,
          32,
          async (i) =>
            void (await queue.add('send', { i, phone: benchPhone(8, i) }, { delay: Math.max(0, dueAt - Date.now()) })),
        );
        if (Date.now() > dueAt)
          throw new Error(`BullMQ: adding ${n} jobs took past their time; raise BENCH_LATENESS_LEAD_MS`);
        await eventually(() => sends().length >= n, {
          what: `${n} BullMQ sends at the fake`,
          timeoutMs: leadMs + 120_000,
          intervalMs: 20,
        });
        return { dueAt, at: sends().map((r) => r.at) };
      } finally {
        await worker.close();
        await tearDown();
      }
    },

    async send(n, perSecond) {
      const { queue, startWorker, tearDown, sends } = await setUp(
        perSecond ? { max: perSecond, duration: 1_000 } : undefined,
      );
      const worker = startWorker();
      try {
        await worker.waitUntilReady();
        const startedAt = Date.now();
        // addBulk in slices, as a broadcast would enqueue its recipients.
        for (let from = 0; from < n; from += 1_000) {
          await queue.addBulk(
            Array.from({ length: Math.min(1_000, n - from) }, (_, k) => ({
              name: 'send',
              data: { i: from + k, phone: benchPhone(9, from + k) },
            })),
          );
        }
        const expectedMs = perSecond ? (n / perSecond) * 1000 : 0;
        await eventually(() => sends().length >= n, {
          what: `${n} BullMQ sends at the fake`,
          timeoutMs: 120_000 + 2 * expectedMs,
          intervalMs: 20,
        });
        return { startedAt, at: sends().map((r) => r.at) };
      } finally {
        await worker.close();
        await tearDown();
      }
    },

    async stop() {
      for (const worker of open) await worker.close().catch(() => undefined);
      await redis.stop();
    },
  };
}
