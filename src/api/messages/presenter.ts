import type { Message } from '../../db/repositories/messages';
import { messageWorkflowId } from '../../../workflows/definitions';
import { iso } from '../contacts/presenter';

export const presentMessage = (m: Message) => ({
  id: m.id,
  phone_number: m.phone_number,
  contact_id: m.contact_id,
  type: m.type,
  message: m.text,
  template: m.template,
  media: m.media,
  scheduled_at: iso(m.scheduled_at),
  status: m.status,
  provider_message_id: m.provider_message_id,
  error: m.error_code ? { code: m.error_code, message: m.error_message ?? '' } : null,
  attempts: m.attempts,
  sent_at: iso(m.sent_at),
  created_at: m.created_at.toISOString(),
  updated_at: m.updated_at.toISOString(),
  workflow_id: messageWorkflowId(m.id),
});
