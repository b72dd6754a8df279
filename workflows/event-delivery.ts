import { condition, continueAsNew, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { DATABASE_RETRY } from './activity-options';
import { eventTaskQueueFor, wakeSignal, type EventDeliveryInput } from './event-delivery-definitions';

/** A round posts at most EVENT_BATCH deliveries of EVENT_HTTP_TIMEOUT each (activities/event-delivery.ts). */
const ROUND_TIMEOUT = '10 minutes';
/** New events are picked up within this without anyone signalling the workflow. */
const IDLE_POLL_MS = 5_000;
/** Rounds before the history is cut with continue-as-new. */
const ROUNDS_PER_RUN = 500;

/**
 * At-least-once delivery for one subscription (workflow id `event-subscription-<id>`): each round
 * posts what is due (activity on the events task queue) and says when the next retry is due; the
 * workflow sleeps until then, a wake signal, or the idle poll. Ends when the subscription is
 * deleted or disabled.
 */
export async function eventDeliveryWorkflow(input: EventDeliveryInput): Promise<void> {
  const deliver = proxyActivities<Activities>({
    taskQueue: eventTaskQueueFor(workflowInfo().taskQueue),
    startToCloseTimeout: ROUND_TIMEOUT,
    retry: DATABASE_RETRY,
  });
  let woken = false;
  setHandler(wakeSignal, () => {
    woken = true;
  });
  for (let round = 0; round < ROUNDS_PER_RUN; round++) {
    woken = false;
    const result = await deliver.deliverDueEvents(input.subscriptionId);
    if (result.stop) return;
    const waitMs = Math.max(100, Math.min(result.nextDueInMs ?? IDLE_POLL_MS, IDLE_POLL_MS));
    await condition(() => woken, waitMs);
  }
  await continueAsNew<typeof eventDeliveryWorkflow>(input);
}
