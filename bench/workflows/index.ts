import { continueAsNew, proxyActivities, sleep } from '@temporalio/workflow';
import type { BaselineActivities } from '../lib/baseline-activities';

/*
 * Baselines: the bare engine doing the same shape of work as the product, with no
 * database and no HTTP behind the activities. Bundled on their own (bench/lib/baseline-worker.ts).
 */
const main = proxyActivities<BaselineActivities>({ startToCloseTimeout: '30 seconds' });
const sends = (taskQueue: string) =>
  proxyActivities<BaselineActivities>({ taskQueue, startToCloseTimeout: '30 seconds' });

/** What a scheduled message's workflow does until its time: one durable timer. */
export async function benchWait(ms: number): Promise<void> {
  await sleep(ms);
}

export interface FanOutInput {
  total: number;
  done?: number;
  sendQueue: string;
  /** Deliveries in flight at once; the product uses 20. */
  lanes?: number;
}

const CHUNK_SIZE = 100;
const LANES = 20;
const CHUNKS_PER_RUN = 5;

/**
 * broadcastWorkflow's shape: chunks of 100 in 20 lanes, three activities per recipient (one on the send queue),
 * continue-as-new every 5 chunks.
 */
export async function benchFanOut({ total, done = 0, sendQueue, lanes = LANES }: FanOutInput): Promise<number> {
  for (let chunk = 1; done < total; chunk++) {
    const items = Array.from({ length: Math.min(CHUNK_SIZE, total - done) }, (_, i) => done + i);
    let next = 0;
    const lane = async () => {
      while (next < items.length) {
        const item = items[next++];
        const request = await main.benchClaim(item);
        const outcome = await sends(sendQueue).benchSend(request);
        await main.benchRecord(item, outcome);
      }
    };
    await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
    done += items.length;
    if (chunk >= CHUNKS_PER_RUN && done < total)
      await continueAsNew<typeof benchFanOut>({ total, done, sendQueue, lanes });
  }
  return done;
}
