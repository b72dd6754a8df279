import type { Knex } from 'knex';

let serial = 0;

/** `count` contacts inserted in multi-row statements, as a bulk importer would; Postgres seats them. */
export async function insertContacts(db: Knex, count: number, { batch = 200, name = 'Lead' } = {}): Promise<number[]> {
  const ids: number[] = [];
  for (let done = 0; done < count; done += batch) {
    const rows = Array.from({ length: Math.min(batch, count - done) }, () => {
      serial += 1;
      return {
        name: `${name} ${serial}`,
        phone_number: `+4917${String(process.pid % 100).padStart(2, '0')}${String(serial).padStart(7, '0')}`,
      };
    });
    const inserted = await db('contacts').insert(rows).returning('id');
    ids.push(...inserted.map((row: { id: number }) => row.id));
  }
  return ids;
}

/** What Postgres really holds: members per group next to the stored counter. */
export async function groupCounts(
  db: Knex,
): Promise<{ name: string; capacity: number; member_count: number; members: number }[]> {
  const { rows } = await db.raw(`
    SELECT g.name, g.capacity, g.member_count, (SELECT count(*) FROM contacts c WHERE c.group_id = g.id)::int AS members
    FROM groups g ORDER BY g.created_at, g.id`);
  return rows;
}
