/** Every event a subscription can ask for; the payload shapes are in the OpenAPI document (EventEnvelope). */
export const EVENT_TYPES = [
  'message.received',
  'message.status_changed',
  'contact.created',
  'contact.updated',
  'contact.opted_out',
  'contact.opted_in',
  'broadcast.finished',
  'sync.finished',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
