import type { Knex } from 'knex';
import type { ApiClient } from './api-client';
import { eventually } from './poll';
import { insertContacts } from './groups';

/**
 * A group of `size` contacts of its own (capacity = size), with the first `optedOut` opted out. Returns it and its
 * members' phones.
 */
export async function groupWithMembers(db: Knex, api: ApiClient, size: number, optedOut = 0) {
  const group = (await api.post('/groups/', { name: `Audience ${Date.now()}-${Math.random()}`, capacity: size })).body;
  const ids = await insertContacts(db, size);
  await db('contacts').whereIn('id', ids).update({ group_id: group.id });
  await db('contacts').whereIn('id', ids.slice(0, optedOut)).update({ opted_out: true, opted_out_at: db.fn.now() });
  const rows: { phone_number: string; opted_out: boolean }[] = await db('contacts')
    .whereIn('id', ids)
    .orderBy('id')
    .select('phone_number', 'opted_out');
  return {
    group,
    optedIn: rows.filter((r) => !r.opted_out).map((r) => r.phone_number),
    optedOut: rows.filter((r) => r.opted_out).map((r) => r.phone_number),
  };
}

/** Polls GET /whatsapp/{id}/ until the message reaches `status`. */
export function messageReaches(api: ApiClient, id: number, status: string, timeoutMs = 30_000) {
  return eventually(
    async () => {
      const { body } = await api.get(`/whatsapp/${id}/`);
      return body.status === status ? body : undefined;
    },
    { what: `message ${id} ${status}`, timeoutMs },
  );
}
