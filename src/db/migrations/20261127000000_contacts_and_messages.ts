import type { Knex } from 'knex';

export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('contacts', (t) => {
    t.bigIncrements('id');
    t.text('name').notNullable();
    t.text('phone_number').notNullable().unique();
    t.text('email');
    t.text('source').notNullable().defaultTo('api');
    t.boolean('opted_out').notNullable().defaultTo(false);
    t.timestamp('opted_out_at', { useTz: true });
    t.bigInteger('group_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['created_at', 'id']);
  });
  await db.raw(
    `ALTER TABLE contacts ADD CONSTRAINT contacts_source_check CHECK (source IN ('api','wordpress','whatsapp'))`,
  );
  await db.raw(
    `ALTER TABLE contacts ADD CONSTRAINT contacts_phone_e164 CHECK (phone_number ~ '^\\+[1-9][0-9]{6,14}$')`,
  );

  await db.schema.createTable('messages', (t) => {
    t.bigIncrements('id');
    t.bigInteger('contact_id').references('contacts.id').onDelete('SET NULL');
    t.text('phone_number').notNullable();
    t.text('type').notNullable();
    t.text('text');
    t.jsonb('template');
    t.jsonb('media');
    t.timestamp('scheduled_at', { useTz: true });
    t.text('status').notNullable();
    t.text('provider_message_id').unique();
    t.text('error_code');
    t.text('error_message');
    t.integer('attempts').notNullable().defaultTo(0);
    t.timestamp('sent_at', { useTz: true });
    t.text('idempotency_key').unique();
    t.text('request_fingerprint');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['created_at', 'id']);
    t.index(['contact_id']);
  });
  await db.raw(`ALTER TABLE messages ADD CONSTRAINT messages_type_check CHECK (type IN ('text','template','media'))`);
  await db.raw(
    `ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN ('scheduled','sending','sent','cancelled','failed'))`,
  );
  await db.raw(`ALTER TABLE messages ADD CONSTRAINT messages_content_check CHECK (
    (type = 'text' AND text IS NOT NULL) OR (type = 'template' AND template IS NOT NULL) OR (type = 'media' AND media IS NOT NULL))`);
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('messages');
  await db.schema.dropTable('contacts');
}
