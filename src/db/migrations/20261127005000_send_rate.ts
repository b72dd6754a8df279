import type { Knex } from 'knex';

/** One row per sending number: the earliest moment the next message may leave. */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('send_rate_slots', (t) => {
    t.text('sender').primary();
    t.timestamp('next_slot_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('send_rate_slots');
}
