import type { CloudApiMessage } from '../src/providers/d360/client';
import { databaseActivities, lastFailure, whatsappActivities } from './activity-options';
import type { SendOutcome } from './definitions';

/** The WhatsApp call for a claimed message, then the record of what happened (a send that ran out of retries fails). */
export async function sendClaimed(messageId: number, request: CloudApiMessage): Promise<SendOutcome> {
  let outcome: SendOutcome;
  try {
    outcome = await whatsappActivities().sendToWhatsApp(request);
  } catch (err) {
    outcome = { status: 'failed', ...lastFailure(err) };
  }
  await databaseActivities.recordOutcome(messageId, outcome);
  return outcome;
}

/**
 * One broadcast delivery through the single-message machinery: claimMessage (row lock,
 * opt-out check, `sending`), sendToWhatsApp on the rate-capped send queue, recordOutcome.
 * A child that is already sent, failed or cancelled is left alone, so re-running never sends twice.
 */
export async function deliver(messageId: number): Promise<SendOutcome> {
  const claim = await databaseActivities.claimMessage(messageId);
  if (claim.outcome === 'settled') return claim.result;
  if (claim.outcome === 'not_due') return { status: 'cancelled' };
  return sendClaimed(messageId, claim.request);
}
