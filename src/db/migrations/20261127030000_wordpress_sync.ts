import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  // Which WordPress entry a contact came from, and when WordPress last changed it.
  await db.schema.alterTable('contacts', (t) => {
    t.text('external_id');
    t.timestamp('external_updated_at', { useTz: true });
  });

  // One row per sync cycle: what GET /contacts/sync/ shows, and the cursor the next cycle starts from.
  await db.schema.createTable('sync_runs', (t) => {
    t.bigIncrements('id');
    t.text('source').notNullable();
    t.text('status').notNullable().defaultTo('running');
    t.timestamp('started_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('finished_at', { useTz: true });
    t.integer('fetched').notNullable().defaultTo(0);
    t.integer('created').notNullable().defaultTo(0);
    t.integer('updated').notNullable().defaultTo(0);
    t.integer('unchanged').notNullable().defaultTo(0);
    t.integer('skipped').notNullable().defaultTo(0);
    t.jsonb('skipped_reasons').notNullable().defaultTo('{}');
    t.jsonb('skipped_entries').notNullable().defaultTo('[]');
    t.integer('pages').notNullable().defaultTo(0);
    t.jsonb('cursor');
    t.text('error');
    t.index(['source', 'id']);
  });
  await db.raw(
    `ALTER TABLE sync_runs ADD CONSTRAINT sync_runs_status_check CHECK (status IN ('running','succeeded','failed'))`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('sync_runs');
  await db.schema.alterTable('contacts', (t) => {
    t.dropColumn('external_updated_at');
    t.dropColumn('external_id');
  });
}
