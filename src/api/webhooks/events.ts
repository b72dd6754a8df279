import type { DeliveryState, InboundEvent } from '../../../workflows/inbound-definitions';
import { ignoredCount, type WebhookEvents } from '../../types/webhook-events';
import type { WebhookBody, WebhookInboundMessage, WebhookValue } from './schemas';
import { boundedStrings, boundedText } from '../../inbound/bounded-text';

export { ignoredCount, type WebhookEvents };

/** At most this many messages, statuses and errors in one POST (360Dialog batches far fewer). */
export const MAX_WEBHOOK_EVENTS = 1_000;

/** Messages, statuses and errors in a body, counted before any is turned into work. */
export function countEvents(body: WebhookBody): number {
  let count = 0;
  for (const entry of body.entry) {
    for (const { value } of entry.changes)
      count += (value.messages?.length ?? 0) + (value.statuses?.length ?? 0) + (value.errors?.length ?? 0);
  }
  return count;
}

// `played` (voice messages) is a read receipt for our purposes.
const DELIVERY_STATES: Record<string, DeliveryState> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'read',
  played: 'read',
  failed: 'failed',
};

type Nested = Record<string, Record<string, unknown> | undefined>;
const field = (raw: Record<string, unknown>, ...path: string[]): string | undefined => {
  let value: unknown = raw;
  for (const key of path) value = (value as Nested | undefined)?.[key];
  return typeof value === 'string' ? value : undefined;
};

/** The words a customer wrote, wherever the message type keeps them, bounded to WhatsApp's limit. */
export function textOf(message: Record<string, unknown>): string | undefined {
  const type = String(message.type);
  const text =
    field(message, 'text', 'body') ??
    field(message, 'button', 'text') ??
    field(message, 'interactive', 'button_reply', 'title') ??
    field(message, 'interactive', 'list_reply', 'title') ??
    field(message, type, 'caption');
  return text === undefined ? undefined : boundedText(text);
}

function senderOf(value: WebhookValue, message: WebhookInboundMessage) {
  const contacts = value.contacts ?? [];
  const userId = message.from_user_id ?? message.user_id;
  return (
    contacts.find((c) => message.from !== undefined && c.wa_id === message.from) ??
    contacts.find((c) => userId !== undefined && c.user_id === userId) ??
    (contacts.length === 1 ? contacts[0] : undefined)
  );
}

function inboundEvent(value: WebhookValue, fieldName: string, message: WebhookInboundMessage): InboundEvent {
  const sender = senderOf(value, message);
  const fromUserId = message.from_user_id ?? message.user_id ?? sender?.user_id;
  return {
    wamid: message.id,
    ...(message.from ? { fromWaId: message.from } : {}),
    ...(fromUserId ? { fromUserId } : {}),
    ...(sender?.profile?.name ? { profileName: sender.profile.name } : {}),
    type: message.type,
    timestamp: message.timestamp,
    ...(textOf(message) !== undefined ? { text: textOf(message) } : {}),
    ...(value.metadata?.display_phone_number ? { businessNumber: value.metadata.display_phone_number } : {}),
    field: fieldName,
    raw: boundedStrings(message),
  };
}

/** Flattens every entry and change of one POST into the events the workflows handle. */
export function extractEvents(body: WebhookBody): WebhookEvents {
  const events: WebhookEvents = { messages: [], statuses: [], ignored: { unknownStatuses: 0, errors: 0 } };
  for (const entry of body.entry) {
    for (const change of entry.changes) {
      const value = change.value;
      for (const message of value.messages ?? []) events.messages.push(inboundEvent(value, change.field, message));
      for (const status of value.statuses ?? []) {
        const state = DELIVERY_STATES[status.status];
        if (!state) {
          events.ignored.unknownStatuses += 1;
          continue;
        }
        const error = status.errors?.[0];
        events.statuses.push({
          wamid: status.id,
          status: state,
          timestamp: status.timestamp,
          ...(status.recipient_id ? { recipientId: status.recipient_id } : {}),
          ...(status.biz_opaque_callback_data ? { callbackData: status.biz_opaque_callback_data } : {}),
          ...(error
            ? { error: { code: error.code, title: error.title ?? error.message, details: error.error_data?.details } }
            : {}),
        });
      }
      events.ignored.errors += value.errors?.length ?? 0;
    }
  }
  return events;
}
