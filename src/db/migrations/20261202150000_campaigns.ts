import type { Knex } from 'knex';

/**
 * Campaigns: tags on contacts, saved segments (a filter evaluated when used), broadcasts
 * that target a segment, retries linked to the broadcast they repeat, and CSV imports.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('contacts', (t) => {
    t.specificType('tags', 'text[]').notNullable().defaultTo('{}');
  });
  await db.raw(`ALTER TABLE contacts ADD CONSTRAINT contacts_tags_bounded CHECK (cardinality(tags) <= 50)`);
  await db.raw(`CREATE INDEX contacts_tags_gin ON contacts USING gin (tags)`);
  // Contacts brought in by a CSV upload say so.
  await db.raw(`ALTER TABLE contacts DROP CONSTRAINT contacts_source_check`);
  await db.raw(
    `ALTER TABLE contacts ADD CONSTRAINT contacts_source_check CHECK (source IN ('api','wordpress','whatsapp','csv'))`,
  );

  await db.schema.createTable('segments', (t) => {
    t.bigIncrements('id');
    t.text('name').notNullable().unique();
    t.jsonb('filter').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['created_at', 'id']);
  });
  await db.raw(`ALTER TABLE segments ADD CONSTRAINT segments_name_check CHECK (length(name) BETWEEN 1 AND 128)`);

  for (const table of ['messages', 'statuses']) {
    await db.schema.alterTable(table, (t) => {
      // The segment stays referenced for reports; its filter is copied so a deleted segment never widens the audience.
      t.bigInteger('segment_id').references('segments.id').onDelete('SET NULL');
      t.jsonb('audience_filter');
    });
  }
  await db.schema.alterTable('messages', (t) => {
    t.bigInteger('retry_of_id').references('messages.id').onDelete('SET NULL');
  });
  // "Last inbound before/after" and "replied within 24 h" look up a contact's inbound messages by time.
  await db.raw(
    `CREATE INDEX messages_inbound_contact_time ON messages (contact_id, created_at) WHERE direction = 'inbound'`,
  );

  await db.schema.createTable('contact_imports', (t) => {
    t.bigIncrements('id');
    t.text('status').notNullable().defaultTo('running');
    t.text('file_sha256');
    t.integer('rows_total').notNullable().defaultTo(0);
    t.integer('created').notNullable().defaultTo(0);
    t.integer('updated').notNullable().defaultTo(0);
    t.integer('unchanged').notNullable().defaultTo(0);
    t.integer('failed').notNullable().defaultTo(0);
    t.jsonb('errors').notNullable().defaultTo('[]');
    t.integer('error_count').notNullable().defaultTo(0);
    t.jsonb('options').notNullable().defaultTo('{}');
    t.text('error_message');
    t.timestamp('finished_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['created_at', 'id']);
  });
  await db.raw(
    `ALTER TABLE contact_imports ADD CONSTRAINT contact_imports_status_check CHECK (status IN ('running','completed','failed'))`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('contact_imports');
  await db.raw(`DROP INDEX IF EXISTS messages_inbound_contact_time`);
  await db.schema.alterTable('messages', (t) => t.dropColumn('retry_of_id'));
  for (const table of ['messages', 'statuses'])
    await db.schema.alterTable(table, (t) => t.dropColumns('segment_id', 'audience_filter'));
  await db.schema.dropTable('segments');
  await db.raw(`ALTER TABLE contacts DROP CONSTRAINT contacts_source_check`);
  await db.raw(`UPDATE contacts SET source = 'api' WHERE source = 'csv'`);
  await db.raw(
    `ALTER TABLE contacts ADD CONSTRAINT contacts_source_check CHECK (source IN ('api','wordpress','whatsapp'))`,
  );
  await db.raw(`DROP INDEX IF EXISTS contacts_tags_gin`);
  await db.raw(`ALTER TABLE contacts DROP CONSTRAINT IF EXISTS contacts_tags_bounded`);
  await db.schema.alterTable('contacts', (t) => t.dropColumn('tags'));
}
