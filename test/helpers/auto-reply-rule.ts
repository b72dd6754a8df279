import type { AutoReplyRule } from '../../src/db/repositories/auto-replies';

/** An active catch-all rule, with the fields a test cares about set. */
export const rule = (fields: Partial<AutoReplyRule>): AutoReplyRule => ({
  id: 1,
  name: 'r',
  match: 'any',
  pattern: null,
  case_sensitive: false,
  reply: { message: 'x' },
  priority: 0,
  active: true,
  business_hours: null,
  outside_hours_reply: null,
  created_at: new Date(),
  updated_at: new Date(),
  ...fields,
});
