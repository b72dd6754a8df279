import type { Contact } from '../../db/repositories/contacts';
import { csvTime, type CsvColumns } from '../../campaigns/csv-export';

/** The export's columns; name, phone_number, email and tags read back in through POST /contacts/import/. */
export const CONTACT_CSV_COLUMNS: CsvColumns<Contact> = {
  id: (c) => c.id,
  name: (c) => c.name,
  phone_number: (c) => c.phone_number,
  email: (c) => c.email,
  tags: (c) => (c.tags ?? []).join(','),
  source: (c) => c.source,
  opted_out: (c) => c.opted_out,
  opted_out_at: (c) => csvTime(c.opted_out_at),
  group_id: (c) => c.group_id,
  whatsapp_user_id: (c) => c.whatsapp_user_id,
  created_at: (c) => csvTime(c.created_at),
  updated_at: (c) => csvTime(c.updated_at),
};
