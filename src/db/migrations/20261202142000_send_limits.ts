import type { Knex } from 'knex';

/**
 * Meta's limits in the send path: the template's category on the message (US numbers get no
 * marketing templates), one send slot row per recipient (the pair rate, shared by every worker
 * like send_rate_slots), and the business number's quality and messaging limit from its webhook.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('messages', (t) => {
    t.text('template_category').nullable();
  });
  await db.schema.createTable('recipient_send_slots', (t) => {
    t.text('phone_number').primary();
    t.timestamp('next_slot_at', { useTz: true }).notNullable();
    // The span the last reservation took: lets one upsert both insert and extend a row.
    t.specificType('last_span', 'interval').notNullable();
  });
  await db.schema.createTable('account_quality', (t) => {
    t.integer('id').primary().defaultTo(1);
    t.text('quality').nullable();
    t.text('event').nullable();
    t.text('current_limit').nullable();
    t.jsonb('payload').nullable();
    t.timestamp('changed_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.raw('ALTER TABLE account_quality ADD CONSTRAINT account_quality_one_row CHECK (id = 1)');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('account_quality');
  await db.schema.dropTable('recipient_send_slots');
  await db.schema.alterTable('messages', (t) => {
    t.dropColumn('template_category');
  });
}
