/**
 * Webhook bodies in the shape 360Dialog forwards from the WhatsApp Cloud API
 * (360Dialog's WhatsApp Cloud API documentation, "Webhooks"), for tests and for the curl walkthrough.
 */
export const BUSINESS_NUMBER = '4930901820';
export const PHONE_NUMBER_ID = '109876543210';
export const WEBHOOK_SECRET = 'test-webhook-secret';

let sequence = 0;
export const newWamid = () =>
  `wamid.TEST${Date.now().toString(36)}${(++sequence).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
export const unixNow = (offsetSeconds = 0) => String(Math.floor(Date.now() / 1000) + offsetSeconds);

export interface InboundOptions {
  /** E.164 with + (as we store it) or WhatsApp digits. */
  from?: string;
  userId?: string;
  name?: string;
  wamid?: string;
  timestamp?: string;
}

const waId = (phone: string) => phone.replace(/\D/g, '');

export function textMessage(text: string, options: InboundOptions = {}) {
  return {
    ...(options.from ? { from: waId(options.from) } : {}),
    id: options.wamid ?? newWamid(),
    timestamp: options.timestamp ?? unixNow(),
    type: 'text',
    text: { body: text },
  };
}

export function buttonMessage(text: string, options: InboundOptions = {}) {
  return {
    ...textMessage('', options),
    type: 'button',
    text: undefined,
    button: { text, payload: text.toUpperCase() },
  };
}

/** A tap on a reply button (`button_reply`) or a list row (`list_reply`) we sent. */
export function interactiveReply(
  kind: 'button_reply' | 'list_reply',
  id: string,
  title: string,
  options: InboundOptions = {},
) {
  const reply = kind === 'list_reply' ? { id, title, description: 'row description' } : { id, title };
  return {
    ...textMessage('', options),
    type: 'interactive',
    text: undefined,
    interactive: { type: kind, [kind]: reply },
  };
}

/** One customer sends one message of any shape (a tap, a text...). */
export function inboundFrom(message: Record<string, unknown>, options: InboundOptions & { from: string }) {
  return webhookBody({ contacts: [sender(options)], messages: [message] });
}

export function systemMessage(options: InboundOptions = {}) {
  return {
    ...textMessage('', options),
    type: 'system',
    text: undefined,
    system: { body: 'User changed number', type: 'user_changed_number' },
  };
}

export function sender(options: InboundOptions) {
  return {
    profile: { name: options.name ?? 'Test Customer' },
    ...(options.from ? { wa_id: waId(options.from) } : {}),
    ...(options.userId ? { user_id: options.userId } : {}),
  };
}

export interface StatusOptions {
  wamid: string;
  status: 'sent' | 'delivered' | 'read' | 'failed' | 'played';
  recipient?: string;
  timestamp?: string;
  /** Our message id, echoed back from biz_opaque_callback_data. */
  callbackData?: string | number;
  errorCode?: number;
}

export function statusEvent(options: StatusOptions) {
  return {
    id: options.wamid,
    status: options.status,
    timestamp: options.timestamp ?? unixNow(),
    recipient_id: waId(options.recipient ?? '+4915112345678'),
    ...(options.callbackData !== undefined ? { biz_opaque_callback_data: String(options.callbackData) } : {}),
    ...(options.errorCode
      ? {
          errors: [
            {
              code: options.errorCode,
              title: 'Re-engagement message',
              message: 'Re-engagement message',
              error_data: {
                details:
                  'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
              },
            },
          ],
        }
      : {}),
  };
}

export interface ChangeValue {
  contacts?: unknown[];
  messages?: unknown[];
  statuses?: unknown[];
}

/** One `changes[]` value with the business number's metadata. */
export const change = (value: ChangeValue, field = 'messages') => ({
  field,
  value: {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: BUSINESS_NUMBER, phone_number_id: PHONE_NUMBER_ID },
    ...value,
  },
});

/** A full webhook body; each argument becomes one entry with one change. */
export const webhookBody = (...values: ChangeValue[]) => ({
  object: 'whatsapp_business_account',
  entry: values.map((value) => ({ id: '102290129340398', changes: [change(value)] })),
});

/** The common case: one customer writes one text. */
export function inboundText(text: string, options: InboundOptions & { from: string }) {
  const message = textMessage(text, options);
  return { body: webhookBody({ contacts: [sender(options)], messages: [message] }), wamid: message.id };
}

/** An account-level change (templates, number quality): no metadata, the WABA id as entry id. */
export const accountChange = (field: string, value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '102290129340398', time: Number(unixNow()), changes: [{ field, value }] }],
});

/** Meta reviewed (or paused, disabled) a template. */
export const templateStatusUpdate = (name: string, language: string, event: string, reason = 'NONE') =>
  accountChange('message_template_status_update', {
    event,
    message_template_id: 1234567,
    message_template_name: name,
    message_template_language: language,
    reason,
  });

/** A template's quality rating changed. */
export const templateQualityUpdate = (name: string, language: string, previous: string, next: string) =>
  accountChange('message_template_quality_update', {
    previous_quality_score: previous,
    new_quality_score: next,
    message_template_id: 1234567,
    message_template_name: name,
    message_template_language: language,
  });

/** The business number's quality or messaging limit changed (current_limit TIER_250 ... TIER_UNLIMITED). */
export const phoneNumberQualityUpdate = (event: string, currentLimit: string) =>
  accountChange('phone_number_quality_update', {
    display_phone_number: BUSINESS_NUMBER,
    event,
    current_limit: currentLimit,
  });
