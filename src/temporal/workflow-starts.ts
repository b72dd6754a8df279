import type { SearchAttributePair, Workflow } from '@temporalio/common';
import type { SignalDefinition } from '@temporalio/workflow';
import {
  autoReplyWorkflow,
  broadcastWorkflow,
  eventDeliveryWorkflow,
  sendMessageWorkflow,
  sequenceEnrollmentWorkflow,
  statusPostWorkflow,
  templatesSyncWorkflow,
  wordpressSyncWorkflow,
} from '../../workflows';
import { eventSubscriptionWorkflowId, wakeSignal } from '../../workflows/event-delivery-definitions';
import { templatesChangedSignal, templatesSyncWorkflowId } from '../../workflows/templates-sync-definitions';
import {
  MESSAGE_STATUS_KEY,
  messageWorkflowId,
  PHONE_NUMBER_KEY,
  statusPostWorkflowId,
} from '../../workflows/definitions';
import { inboundWorkflowId, type InboundEvent } from '../../workflows/inbound-definitions';
import { sequenceWorkflowId, type SequenceEnrollmentInput } from '../../workflows/sequence-definitions';
import type { Message } from '../db/repositories/messages';
import type { StatusPost } from '../db/repositories/status-posts';
import {
  syncNowSignal,
  WORDPRESS_SYNC_WORKFLOW_ID,
  type SyncNowRequest,
} from '../../workflows/wordpress-sync-definitions';

/**
 * Everything needed to start one workflow, as plain JSON: what the outbox stores and the
 * dispatcher hands to Temporal. Only the helpers below build one, each from the workflow
 * function itself, so its arguments are type-checked and its id, memo and search attributes
 * are decided in one place for every caller.
 */
export interface WorkflowStart {
  workflowType: string;
  workflowId: string;
  taskQueue: string;
  args: unknown[];
  memo?: Record<string, unknown>;
  searchAttributes?: SearchAttributePair[];
  /** REJECT_DUPLICATE unless the id is meant to live again. */
  reusePolicy: 'REJECT_DUPLICATE' | 'ALLOW_DUPLICATE';
  /** Sent with the start (signalWithStart): to a running workflow it is the whole request. */
  signal?: string;
  /** The signal's arguments (none when absent). */
  signalArgs?: unknown[];
}

interface StartOptions<W extends Workflow, S extends unknown[] = []> {
  workflowId: string;
  taskQueue: string;
  args: Parameters<W>;
  memo?: Record<string, unknown>;
  searchAttributes?: SearchAttributePair[];
  reusePolicy?: WorkflowStart['reusePolicy'];
  signal?: SignalDefinition<S>;
  signalArgs?: S;
}

function typedStart<W extends Workflow, S extends unknown[] = []>(
  workflow: W,
  options: StartOptions<W, S>,
): WorkflowStart {
  return {
    workflowType: workflow.name,
    workflowId: options.workflowId,
    taskQueue: options.taskQueue,
    args: options.args,
    ...(options.memo ? { memo: options.memo } : {}),
    ...(options.searchAttributes ? { searchAttributes: options.searchAttributes } : {}),
    reusePolicy: options.reusePolicy ?? 'REJECT_DUPLICATE',
    ...(options.signal ? { signal: options.signal.name, signalArgs: options.signalArgs ?? [] } : {}),
  };
}

/** `message-<id>`: a single message's send, or a broadcast's fan-out. */
export function messageStart(
  message: Pick<Message, 'id' | 'kind' | 'type' | 'phone_number' | 'status' | 'scheduled_at'>,
  taskQueue: string,
): WorkflowStart {
  const common = {
    workflowId: messageWorkflowId(message.id),
    taskQueue,
    memo: { message_id: message.id, phone_number: message.phone_number, kind: message.type },
    searchAttributes: [
      { key: PHONE_NUMBER_KEY, value: message.phone_number ?? '' },
      { key: MESSAGE_STATUS_KEY, value: message.status },
    ],
  };
  const input = { messageId: message.id, sendAt: message.scheduled_at?.toISOString() };
  return message.kind === 'broadcast'
    ? typedStart(broadcastWorkflow, { ...common, args: [input] })
    : typedStart(sendMessageWorkflow, { ...common, args: [input] });
}

/**
 * `message-<id>` once more, for a message deferred by Meta's per-user marketing cap (131049) after
 * its own send had ended (a `failed` status webhook, a broadcast delivery): it waits for the retry
 * time and sends the row as any single message. The id may live again: the first send is over.
 */
export function marketingCapRetryStart(message: Message, taskQueue: string): WorkflowStart {
  return typedStart(sendMessageWorkflow, {
    workflowId: messageWorkflowId(message.id),
    taskQueue,
    args: [{ messageId: message.id, sendAt: message.scheduled_at?.toISOString() }],
    memo: {
      message_id: message.id,
      phone_number: message.phone_number,
      deferred: { code: message.error_code, message: message.error_message },
    },
    searchAttributes: [
      { key: PHONE_NUMBER_KEY, value: message.phone_number ?? '' },
      { key: MESSAGE_STATUS_KEY, value: 'deferred' },
    ],
    reusePolicy: 'ALLOW_DUPLICATE',
  });
}

/** A broadcast retry (`message-<id>` of the new broadcast), remembering in its memo which broadcast it retries. */
export function broadcastRetryStart(retry: Message, retryOfId: number, taskQueue: string): WorkflowStart {
  const start = messageStart(retry, taskQueue);
  return { ...start, memo: { ...start.memo, retry_of_id: retryOfId } };
}

/** POST /contacts/sync/: "sync now" to the one `wordpress-sync` workflow, starting it first if no worker has yet. */
export const wordpressSyncNowStart = (request: SyncNowRequest, taskQueue: string): WorkflowStart =>
  typedStart(wordpressSyncWorkflow, {
    workflowId: WORDPRESS_SYNC_WORKFLOW_ID,
    taskQueue,
    args: [{ syncRequested: true }],
    reusePolicy: 'ALLOW_DUPLICATE',
    signal: syncNowSignal,
    signalArgs: [request],
  });

/** A template webhook or a submitted template: the templates sync reads the list now (started if no worker has). */
export const templatesSyncNowStart = (taskQueue: string): WorkflowStart =>
  typedStart(templatesSyncWorkflow, {
    workflowId: templatesSyncWorkflowId(taskQueue),
    taskQueue,
    args: [{ syncRequested: true }],
    reusePolicy: 'ALLOW_DUPLICATE',
    signal: templatesChangedSignal,
  });

/** `event-subscription-<id>`: delivers a subscription's events; woken (started if need be) when there is work. */
export const eventDeliveryWakeStart = (subscriptionId: number, taskQueue: string): WorkflowStart =>
  typedStart(eventDeliveryWorkflow, {
    workflowId: eventSubscriptionWorkflowId(subscriptionId),
    taskQueue,
    args: [{ subscriptionId }],
    reusePolicy: 'ALLOW_DUPLICATE',
    signal: wakeSignal,
  });

/** `status-<id>`: waits for the status's time, then publishes it as a broadcast. */
export const statusPostStart = (status: StatusPost, taskQueue: string): WorkflowStart =>
  typedStart(statusPostWorkflow, {
    workflowId: statusPostWorkflowId(status.id),
    taskQueue,
    args: [{ statusId: status.id, publishAt: status.scheduled_at.toISOString() }],
    memo: { status_id: status.id, kind: 'status' },
    searchAttributes: [{ key: MESSAGE_STATUS_KEY, value: 'scheduled' }],
  });

/** `inbound-<wamid>`: one customer message: store it, decide and send the answer. */
export const autoReplyStart = (event: InboundEvent, taskQueue: string): WorkflowStart =>
  typedStart(autoReplyWorkflow, {
    workflowId: inboundWorkflowId(event.wamid),
    taskQueue,
    args: [event],
    ...(event.fromWaId ? { searchAttributes: [{ key: PHONE_NUMBER_KEY, value: `+${event.fromWaId}` }] } : {}),
  });

/** `sequence-<id>-contact-<id>`: one contact's way through a follow-up sequence. */
export const sequenceEnrollmentStart = (
  input: SequenceEnrollmentInput,
  phoneNumber: string,
  taskQueue: string,
): WorkflowStart =>
  typedStart(sequenceEnrollmentWorkflow, {
    workflowId: sequenceWorkflowId(input.sequenceId, input.contactId),
    taskQueue,
    args: [input],
    memo: {
      sequence_id: input.sequenceId,
      contact_id: input.contactId,
      enrollment_id: input.enrollmentId,
      kind: 'sequence',
    },
    searchAttributes: [
      { key: PHONE_NUMBER_KEY, value: phoneNumber },
      { key: MESSAGE_STATUS_KEY, value: 'active' },
    ],
  });
