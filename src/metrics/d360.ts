import type { createD360Client } from '../providers/d360/client';
import { sendDuration } from './registry';

type D360Client = ReturnType<typeof createD360Client>;

/** The same client, timing each send into wa_whatsapp_send_duration_seconds. */
export function timedD360Client(client: D360Client): D360Client {
  return {
    ...client,
    async sendMessage(message) {
      const end = sendDuration.startTimer();
      try {
        const result = await client.sendMessage(message);
        end({ outcome: result.ok ? 'sent' : result.error.retryable ? 'retryable' : 'failed' });
        return result;
      } catch (err) {
        end({ outcome: 'retryable' });
        throw err;
      }
    },
  };
}
