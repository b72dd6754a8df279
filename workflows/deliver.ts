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
