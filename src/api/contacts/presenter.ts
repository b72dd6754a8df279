import type { Contact } from '../../db/repositories/contacts';
import { serviceWindowEndsAt } from '../../rules/service-window';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export const presentContact = (c: Contact) => ({
  id: c.id,
  name: c.name,
  phone_number: c.phone_number,
  whatsapp_user_id: c.whatsapp_user_id,
  email: c.email,
  source: c.source,
  opted_out: c.opted_out,
  opted_out_at: iso(c.opted_out_at),
  tags: c.tags ?? [],
  group_id: c.group_id,
  service_window_ends_at: iso(serviceWindowEndsAt(c.last_inbound_at)),
  created_at: c.created_at.toISOString(),
  updated_at: c.updated_at.toISOString(),
});

export { iso };
