import { executeChild, patched, proxyActivities, proxyLocalActivities, type RetryPolicy } from '@temporalio/workflow';
import type { Activities } from '../activities';
import { databaseActivities as db, DATABASE_RETRY, DATABASE_TIMEOUT } from './activity-options';
import { messageWorkflowId, MESSAGE_STATUS_KEY, PHONE_NUMBER_KEY } from './definitions';
import type { AutoReplyResult, InboundEvent, InboundHandled } from './inbound-definitions';
import { sendMessageWorkflow } from './send-message';

// Marking read is a courtesy: a few tries, then let it go.
const MARK_READ_RETRY: RetryPolicy = { initialInterval: '1s', maximumAttempts: 3 };

const courtesy = proxyActivities<Activities>({ startToCloseTimeout: DATABASE_TIMEOUT, retry: MARK_READ_RETRY });

/*
 * The steps as local activities: run by the worker inside the workflow task, recorded as markers, so an inbound
 * message costs the server one workflow task instead of four plus three activity tasks (a burst of replies to a
 * broadcast was answered at ~20 workflows/s on a 2-core machine, the server's CPU the bound). Since then one local
 * activity for all three: each one more is a marker for the server and an activation for the worker.
 */
const localDb = proxyLocalActivities<Activities>({ startToCloseTimeout: DATABASE_TIMEOUT, retry: DATABASE_RETRY });
const localCourtesy = proxyLocalActivities<Activities>({
  startToCloseTimeout: DATABASE_TIMEOUT,
  retry: MARK_READ_RETRY,
});

const digits = (value: string | undefined) => (value ?? '').replace(/\D/g, '');

/** The steps one by one, as workflows started before handleInbound recorded them. */
async function stepByStep(event: InboundEvent, local: boolean): Promise<InboundHandled> {
  const steps = local ? localDb : db;
  const inbound = await steps.recordInbound(event);
  const plan = await steps.planAutoReply(inbound.messageId);
  await (local ? localCourtesy : courtesy).markInboundRead(event.wamid);
  return { ...inbound, plan };
}

/**
 * One customer message (workflow id `inbound-<wamid>`): store it, decide the answer
 * (opt-out words, guards, rules), and send that answer as a child `message-<id>` workflow,
 * the same send path and rate cap as every other message.
 */
export async function autoReplyWorkflow(event: InboundEvent): Promise<AutoReplyResult> {
  // Our own messages echoed back (coexistence with the WhatsApp Business app) are not customers talking.
  if (event.field !== 'messages' || (event.businessNumber && digits(event.businessNumber) === digits(event.fromWaId))) {
    return { plan: { action: 'none', reason: 'own_echo' } };
  }
  // Histories recorded before the steps became local activities replay with the activity tasks they had, and those
  // recorded before they became one local activity with the three they had.
  const local = patched('auto-reply-local-activities');
  const oneStep = local && patched('auto-reply-one-local-activity');
  const { messageId, contactId, plan } = oneStep ? await localDb.handleInbound(event) : await stepByStep(event, local);
  const stored = { inboundMessageId: messageId, contactId: contactId ?? undefined };
  if (plan.action !== 'reply') return { ...stored, plan };

  const replyOutcome = await executeChild(sendMessageWorkflow, {
    workflowId: messageWorkflowId(plan.messageId),
    args: [{ messageId: plan.messageId }],
    memo: { message_id: plan.messageId, reply_to: messageId, kind: plan.kind },
    typedSearchAttributes: [
      { key: PHONE_NUMBER_KEY, value: plan.phoneNumber },
      { key: MESSAGE_STATUS_KEY, value: 'sending' },
    ],
  });
  return { ...stored, plan, replyOutcome };
}
