import type { Group } from '../../db/repositories/groups';

export const presentGroup = (g: Group) => ({
  id: g.id,
  name: g.name,
  capacity: g.capacity,
  member_count: g.member_count,
  created_at: g.created_at.toISOString(),
  updated_at: g.updated_at.toISOString(),
});
