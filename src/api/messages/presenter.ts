import type { BroadcastCounts } from '../../db/repositories/broadcasts';
import type { Message } from '../../db/repositories/messages';
import { messageWorkflowId } from '../../../workflows/definitions';
import { inboundWorkflowId } from '../../../workflows/inbound-definitions';
import { iso } from '../contacts/presenter';

/** `counts` only for a broadcast parent (a mapper's index argument is ignored). */
export const presentMessage = (m: Message, counts?: BroadcastCounts | number) => ({
  id: m.id,
  phone_number: m.phone_number,
  contact_id: m.contact_id,
  direction: m.direction,
  type: m.type,
  message: m.text,
  template: m.template,
  media: m.media,
  interactive: m.interactive,
  reply: m.reply_id !== null && m.direction === 'inbound' ? { id: m.reply_id, title: m.text } : null,
  scheduled_at: iso(m.scheduled_at),
  status: m.status,
  provider_message_id: m.provider_message_id,
  error: m.error_code ? { code: m.error_code, message: m.error_message ?? '' } : null,
  attempts: m.attempts,
  sent_at: iso(m.sent_at),
  delivered_at: iso(m.delivered_at),
  read_at: iso(m.read_at),
  failed_at: iso(m.failed_at),
  sender:
    m.direction === 'inbound'
      ? { wa_id: m.from_wa_id, user_id: m.from_user_id, name: m.from_name, sent_at: iso(m.wa_timestamp) }
      : null,
  reply_to_id: m.reply_to_id,
  auto_reply: m.auto_reply_kind ? { kind: m.auto_reply_kind, rule_id: m.auto_reply_rule_id } : null,
  created_at: m.created_at.toISOString(),
  updated_at: m.updated_at.toISOString(),
  workflow_id:
    m.direction === 'inbound' && m.provider_message_id
      ? inboundWorkflowId(m.provider_message_id)
      : messageWorkflowId(m.parent_id ?? m.id),
  kind: m.kind,
  parent_id: m.parent_id,
  group_id: m.group_id,
  segment_id: m.segment_id ?? null,
  retry_of_id: m.retry_of_id ?? null,
  recipient_count: m.recipient_count,
  counts: m.kind === 'broadcast' && typeof counts === 'object' ? counts : null,
  fallback_template: m.fallback_template ?? null,
  fallback_used: m.fallback_used ?? false,
  warnings: m.warnings ?? [],
});
