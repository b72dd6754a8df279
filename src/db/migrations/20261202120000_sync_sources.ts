import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  // A cursor belongs to one configuration (preset, route, field map, phone region): a run under
  // another one starts from the beginning instead of skipping what the old settings misread.
  await db.schema.alterTable('sync_runs', (t) => {
    t.text('source_key');
    t.text('preset');
    // While WordPress is down: when Temporal tries the import again (the last attempt's error is in `error`).
    t.timestamp('next_retry_at', { useTz: true });
    t.index(['source_key', 'id']);
  });

  // Sources without a modification time (the users route): what each entry held when last read,
  // so an edit is seen without a modification time and an unchanged entry costs no upsert.
  await db.schema.createTable('sync_entry_hashes', (t) => {
    t.text('source_key').notNullable();
    t.text('entry_id').notNullable();
    t.text('hash').notNullable();
    t.timestamp('seen_at', { useTz: true }).notNullable();
    t.primary(['source_key', 'entry_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('sync_entry_hashes');
  await db.schema.alterTable('sync_runs', (t) => {
    t.dropIndex(['source_key', 'id']);
    t.dropColumn('next_retry_at');
    t.dropColumn('preset');
    t.dropColumn('source_key');
  });
}
