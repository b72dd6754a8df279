import type { Knex } from 'knex';

/**
 * WhatsApp templates as 360Dialog lists them (the templates-sync workflow keeps this table),
 * and one row saying when the list was last read in full: until then nothing can be checked.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('templates', (t) => {
    t.bigIncrements('id');
    t.text('name').notNullable();
    t.text('language').notNullable();
    t.text('category').notNullable();
    t.text('status').notNullable();
    t.text('quality').nullable();
    t.jsonb('components').notNullable().defaultTo('[]');
    t.text('rejected_reason').nullable();
    t.text('external_id').nullable();
    t.timestamp('synced_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.unique(['name', 'language'], { indexName: 'templates_name_language_unique' });
    t.index(['status']);
  });
  await db.raw(
    `ALTER TABLE templates ADD CONSTRAINT templates_category CHECK (category IN ('MARKETING', 'UTILITY', 'AUTHENTICATION'))`,
  );
  await db.schema.createTable('template_sync_state', (t) => {
    t.integer('id').primary().defaultTo(1);
    t.timestamp('synced_at', { useTz: true }).nullable();
    t.integer('template_count').notNullable().defaultTo(0);
    t.text('error').nullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.raw('ALTER TABLE template_sync_state ADD CONSTRAINT template_sync_state_one_row CHECK (id = 1)');
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('template_sync_state');
  await db.schema.dropTable('templates');
}
