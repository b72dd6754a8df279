import { defineQuery, defineUpdate } from '@temporalio/workflow';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** Custom search attributes that make every send findable in the Temporal Web UI. */
export const PHONE_NUMBER_KEY = defineSearchAttributeKey('WaPhoneNumber', SearchAttributeType.KEYWORD);
export const MESSAGE_STATUS_KEY = defineSearchAttributeKey('WaMessageStatus', SearchAttributeType.KEYWORD);
export const SEARCH_ATTRIBUTE_KEYS = [PHONE_NUMBER_KEY, MESSAGE_STATUS_KEY];

export const sendTaskQueueFor = (taskQueue: string) => `${taskQueue}-sends`;
export const messageWorkflowId = (messageId: number) => `message-${messageId}`;

export interface SendMessageInput {
  messageId: number;
  /** ISO 8601; absent means now. */
  sendAt?: string;
}

export type SendOutcome =
  | { status: 'sent'; providerMessageId: string }
  | { status: 'failed'; code: string; message: string }
  | { status: 'cancelled' }
  | { status: 'missing' };

export interface MessageWorkflowState {
  dueAt: string;
  phase: 'waiting' | 'sending' | 'done';
  outcome?: SendOutcome;
}

/** Moves the send time of a message that is still waiting; rejected once sending began. */
export const rescheduleUpdate = defineUpdate<string, [string]>('reschedule');
export const messageStateQuery = defineQuery<MessageWorkflowState>('state');

export const statusPostWorkflowId = (statusId: number) => `status-${statusId}`;

export interface BroadcastInput {
  messageId: number;
  /** ISO 8601; absent means now. */
  sendAt?: string;
  /** Set by continue-as-new: recipients up to this child id are done. */
  resumeAfterId?: number;
  /** Pages of recipients one run sends before it continues as new (tests set a small number). */
  pagesPerRun?: number;
}

export interface StatusPostInput {
  statusId: number;
  /** ISO 8601. */
  publishAt: string;
}
