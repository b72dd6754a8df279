import { statusWorkflowId } from '../../../workflows/definitions';
import type { StatusView } from '../../services/statuses';
import { iso } from '../contacts/presenter';

export const presentStatus = ({ status: s, recipientCount, counts }: StatusView) => ({
  id: s.id,
  text: s.text,
  media: s.media,
  template: s.template,
  interactive: s.interactive ?? null,
  group_ids: s.audience_group_ids,
  segment_id: s.segment_id ?? null,
  scheduled_at: s.scheduled_at.toISOString(),
  status: s.status,
  message_id: s.message_id,
  recipient_count: recipientCount,
  counts,
  published_at: iso(s.published_at),
  error: s.error_code ? { code: s.error_code, message: s.error_message ?? '' } : null,
  warnings: s.warnings ?? [],
  created_at: s.created_at.toISOString(),
  updated_at: s.updated_at.toISOString(),
  workflow_id: statusWorkflowId(s.id),
});
