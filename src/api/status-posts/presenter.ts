import { statusPostWorkflowId } from '../../../workflows/definitions';
import type { StatusPostView } from '../../services/status-posts';
import { iso } from '../contacts/presenter';

export const presentStatusPost = ({ status: s, recipientCount, counts }: StatusPostView) => ({
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
  workflow_id: statusPostWorkflowId(s.id),
});
