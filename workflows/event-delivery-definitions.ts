import { defineSignal } from '@temporalio/workflow';

/** One long-lived delivery workflow per subscription. */
export const eventSubscriptionWorkflowId = (subscriptionId: number) => `event-subscription-${subscriptionId}`;
/** Deliveries run on their own task queue and worker, so a slow subscriber never holds up sends or webhook ingest. */
export const eventTaskQueueFor = (taskQueue: string) => `${taskQueue}-events`;

export interface EventDeliveryInput {
  subscriptionId: number;
}

export interface DeliveryRound {
  /** The subscription is gone or disabled: the workflow ends. */
  stop: boolean;
  /** When the next pending delivery is due, if one is. */
  nextDueInMs?: number;
}

/** Something is due now (a redelivery): skip the wait. */
export const wakeSignal = defineSignal('wake');
