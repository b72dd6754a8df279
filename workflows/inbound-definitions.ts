/**
 * Types and ids shared by the webhook (which starts the workflows), the inbound workflows
 * and their activities. No imports: workflow code reads this file too.
 */

/** One message a customer sent, as the webhook extracted it. */
export interface InboundEvent {
  wamid: string;
  /** `from`: the sender's WhatsApp id (digits, no +); absent for username-only users. */
  fromWaId?: string;
  /** The 2026 business-scoped user id, when WhatsApp sent one. */
  fromUserId?: string;
  profileName?: string;
  type: string;
  /** Unix seconds, as WhatsApp's string. */
  timestamp: string;
  /** The words to match rules against: body, caption, button or list title. */
  text?: string;
  /** Our own business number (metadata.display_phone_number), to spot echoes. */
  businessNumber?: string;
  /** The webhook `field`; `messages` for customer messages. */
  field: string;
  raw: Record<string, unknown>;
}

export type DeliveryState = 'sent' | 'delivered' | 'read' | 'failed';

/** One `statuses[]` entry. */
export interface StatusEvent {
  wamid: string;
  status: DeliveryState;
  /** Unix seconds, as WhatsApp's string. */
  timestamp: string;
  recipientId?: string;
  /** Our message id, echoed back from `biz_opaque_callback_data`. */
  callbackData?: string;
  error?: { code: string; title?: string; details?: string };
}

export type AutoReplyPlan =
  | { action: 'reply'; messageId: number; phoneNumber: string; kind: string; ruleId: number | null }
  | { action: 'none'; reason: string };

/** What the auto-reply's one local activity did: the stored message, its sender, the answer decided. */
export interface InboundHandled {
  messageId: number;
  contactId: number | null;
  plan: AutoReplyPlan;
}

export interface AutoReplyResult {
  inboundMessageId?: number;
  contactId?: number;
  plan: AutoReplyPlan;
  replyOutcome?: unknown;
}

export const inboundWorkflowId = (wamid: string) => `inbound-${wamid}`;
/** Deprecated with the deliveryStatus workflow: no new workflow gets this id. */
export const deliveryWorkflowId = (event: Pick<StatusEvent, 'wamid' | 'status'>) =>
  `delivery-${event.wamid}-${event.status}`;
