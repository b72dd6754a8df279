import type { RecipientRow } from '../../db/repositories/broadcast-reports';
import type { Message } from '../../db/repositories/messages';
import { failureClass } from '../../campaigns/failure-classes';
import { explain } from '../../providers/d360/errors';
import { iso } from '../contacts/presenter';

export const presentRecipient = (parent: Message) => (r: RecipientRow) => ({
  message_id: r.id,
  contact: { id: r.contact_id, name: r.contact_name, phone_number: r.phone_number },
  state: r.status,
  scheduled_at: iso(parent.scheduled_at ?? parent.created_at),
  sent_at: iso(r.sent_at),
  delivered_at: iso(r.delivered_at),
  read_at: iso(r.read_at),
  failed_at: iso(r.failed_at),
  error: r.error_code
    ? {
        code: r.error_code,
        message: r.error_message ?? '',
        explanation: explain(r.error_code, r.error_message ?? undefined),
        retryable: failureClass(r.error_code) === 'retryable',
      }
    : null,
  replied_within_24h: Boolean(r.replied),
});

/** The CSV export: the JSON fields flattened to columns. */
export const recipientCsvColumns = (parent: Message) => {
  const present = presentRecipient(parent);
  type Row = ReturnType<typeof present>;
  const col = (pick: (r: Row) => string | number | boolean | null | undefined) => (row: RecipientRow) =>
    pick(present(row));
  return {
    message_id: col((r) => r.message_id),
    contact_id: col((r) => r.contact.id),
    name: col((r) => r.contact.name),
    phone_number: col((r) => r.contact.phone_number),
    state: col((r) => r.state),
    scheduled_at: col((r) => r.scheduled_at),
    sent_at: col((r) => r.sent_at),
    delivered_at: col((r) => r.delivered_at),
    read_at: col((r) => r.read_at),
    failed_at: col((r) => r.failed_at),
    error_code: col((r) => r.error?.code),
    error_explanation: col((r) => r.error?.explanation),
    retryable: col((r) => (r.error ? r.error.retryable : '')),
    replied_within_24h: col((r) => r.replied_within_24h),
  };
};
