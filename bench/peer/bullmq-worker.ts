import { Worker } from 'bullmq';
import { createD360Client } from '../../src/providers/d360/client';

/*
 * BullMQ's worker in a process of its own (forked by bench/peer/bullmq.ts), as the product's
 * worker runs apart from its API: each job makes the product's 360Dialog call to the bench's fake.
 */
interface Args {
  queue: string;
  redisPort: number;
  apiUrl: string;
  apiKey: string;
  concurrency: number;
  limiter?: { max: number; duration: number };
}

const args = JSON.parse(process.argv[2]) as Args;
const d360 = createD360Client({
  apiUrl: args.apiUrl,
  apiKey: args.apiKey,
  timeoutMs: 15_000,
  maxConnections: args.concurrency,
});
const worker = new Worker<{ i: number; phone: string }>(
  args.queue,
  async (job) => {
    const result = await d360.sendMessage({
      to: job.data.phone,
      type: 'text',
      text: { body: 'Big news!', preview_url: false },
      biz_opaque_callback_data: String(job.data.i),
    });
    if (!result.ok) throw new Error(result.error.message);
  },
  {
    connection: { host: '127.0.0.1', port: args.redisPort, maxRetriesPerRequest: null },
    concurrency: args.concurrency,
    limiter: args.limiter,
    removeOnComplete: { count: 0 },
  },
);

void worker.waitUntilReady().then(() => process.send?.('ready'));
process.on('message', (message) => {
  if (message === 'close') void worker.close().then(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
