import type { Message } from '../db/repositories/messages';
import { explain } from '../providers/d360/errors';
import type { StatusEvent } from '../../workflows/inbound-definitions';
import { SEND_OUTCOME_UNKNOWN } from '../../workflows/failure-codes';

// Only forward: a late `sent` never undoes `delivered`, a `read` implies delivered.
const RANK: Record<string, number> = { scheduled: 0, sending: 0, sent: 1, failed: 1, delivered: 2, read: 3 };

/**
 * The columns a status event changes on its message, or undefined when it changes
 * nothing. Applied under the row lock, so events in any order end at the highest state.
 */
export function deliveryChange(message: Message, event: StatusEvent): Record<string, unknown> | undefined {
  // A deferred message waits for its retry: what WhatsApp still reports about the earlier attempt changes nothing.
  if (message.status === 'cancelled' || message.status === 'deferred' || message.direction !== 'outbound')
    return undefined;
  const at = new Date(Number(event.timestamp) * 1000);
  const fields: Record<string, unknown> = {};
  // The earliest report wins: a `read` first stands in for the delivery time until the real `delivered` arrives.
  const stamp = (column: 'sent_at' | 'delivered_at' | 'read_at' | 'failed_at') => {
    const current = message[column];
    if (current === null || at.getTime() < current.getTime()) fields[column] = at;
  };
  if (message.provider_message_id === null) fields.provider_message_id = event.wamid;
  // A send whose outcome was unknown (its worker died mid-send) is settled by WhatsApp's own report.
  const rank = message.error_code === SEND_OUTCOME_UNKNOWN ? 0 : (RANK[message.status] ?? 0);

  if (event.status === 'failed') {
    stamp('failed_at');
    if (rank <= 1) {
      const code = event.error?.code ?? 'failed';
      Object.assign(fields, {
        status: 'failed',
        error_code: code,
        error_message: explain(code, event.error?.details ?? event.error?.title),
      });
    }
  } else {
    stamp('sent_at');
    if (event.status !== 'sent') stamp('delivered_at');
    if (event.status === 'read') stamp('read_at');
    const target = RANK[event.status];
    // A delivered or read receipt outranks an earlier failure (several devices).
    if (target > rank || (message.status === 'failed' && target >= 2)) {
      Object.assign(
        fields,
        { status: event.status },
        message.status === 'failed' ? { error_code: null, error_message: null } : {},
      );
    }
  }
  return Object.keys(fields).length > 0 ? fields : undefined;
}
