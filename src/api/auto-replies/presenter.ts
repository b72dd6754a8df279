import type { AutoReplyRule } from '../../db/repositories/auto-replies';

export const presentAutoReply = (r: AutoReplyRule) => ({
  id: r.id,
  name: r.name,
  match: r.match,
  pattern: r.pattern,
  case_sensitive: r.case_sensitive,
  reply: r.reply,
  priority: r.priority,
  active: r.active,
  business_hours: r.business_hours,
  outside_hours_reply: r.outside_hours_reply,
  created_at: r.created_at.toISOString(),
  updated_at: r.updated_at.toISOString(),
});
