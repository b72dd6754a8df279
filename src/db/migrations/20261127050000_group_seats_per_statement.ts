import type { Knex } from 'knex';
import { SEATS_PER_STATEMENT_FUNCTIONS, SEATS_PER_STATEMENT_TRIGGERS } from './sql/group-seats-per-statement';

/**
 * Seats are counted once per statement, and a batch of new contacts can take its seats at once (see the SQL's notes).
 */
export async function up(db: Knex): Promise<void> {
  for (const sql of [...SEATS_PER_STATEMENT_FUNCTIONS, ...SEATS_PER_STATEMENT_TRIGGERS]) await db.raw(sql);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`DROP TRIGGER contacts_seat_inserted ON contacts`);
  await db.raw(`DROP TRIGGER contacts_free_deleted ON contacts`);
  await db.raw(`DROP TRIGGER contacts_count_group_moves ON contacts`);
  await db.raw(
    `CREATE TRIGGER contacts_count_group AFTER INSERT OR DELETE OR UPDATE OF group_id ON contacts FOR EACH ROW EXECUTE FUNCTION contacts_after_group_change()`,
  );
  await db.raw(`DROP FUNCTION groups_seat_many(integer), contacts_after_delete_seats(), contacts_after_insert_seats()`);
}
