import type { Knex } from 'knex';

const INBOUND_TYPES = [
  'text',
  'image',
  'document',
  'audio',
  'video',
  'sticker',
  'location',
  'contacts',
  'interactive',
  'button',
  'reaction',
  'order',
  'system',
  'unsupported',
  'unknown',
];
const list = (values: string[]) => values.map((v) => `'${v}'`).join(',');

/**
 * Inbound WhatsApp: inbound rows in `messages`, delivery statuses, opt-out confirmations,
 * auto-reply rules with their per-contact cooldowns, and contacts known only by their
 * 2026 business-scoped user id (no phone number).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('contacts', (t) => {
    t.text('whatsapp_user_id').unique();
  });
  await db.raw(`ALTER TABLE contacts ALTER COLUMN phone_number DROP NOT NULL`);
  await db.raw(
    `ALTER TABLE contacts ADD CONSTRAINT contacts_reachable CHECK (phone_number IS NOT NULL OR whatsapp_user_id IS NOT NULL)`,
  );

  await db.schema.createTable('auto_reply_rules', (t) => {
    t.bigIncrements('id');
    t.text('name').notNullable();
    t.text('match').notNullable();
    t.text('pattern');
    t.boolean('case_sensitive').notNullable().defaultTo(false);
    t.jsonb('reply').notNullable();
    t.integer('priority').notNullable().defaultTo(0);
    t.boolean('active').notNullable().defaultTo(true);
    t.jsonb('business_hours');
    t.jsonb('outside_hours_reply');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['active', 'priority']);
  });
  await db.raw(
    `ALTER TABLE auto_reply_rules ADD CONSTRAINT auto_reply_rules_match_check CHECK (match IN ('exact','contains','starts_with','regex','any'))`,
  );
  await db.raw(
    `ALTER TABLE auto_reply_rules ADD CONSTRAINT auto_reply_rules_pattern_check CHECK (match = 'any' OR (pattern IS NOT NULL AND pattern <> ''))`,
  );

  await db.schema.alterTable('messages', (t) => {
    t.text('direction').notNullable().defaultTo('outbound');
    t.text('from_wa_id');
    t.text('from_user_id');
    t.text('from_name');
    t.timestamp('wa_timestamp', { useTz: true });
    t.jsonb('payload');
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('read_at', { useTz: true });
    t.timestamp('failed_at', { useTz: true });
    // One auto-reply (or opt-out confirmation) per inbound message, whatever the retries.
    t.bigInteger('reply_to_id').references('messages.id').onDelete('SET NULL').unique();
    t.bigInteger('auto_reply_rule_id').references('auto_reply_rules.id').onDelete('SET NULL');
    t.text('auto_reply_kind');
    t.index(['direction', 'created_at', 'id']);
  });
  await db.raw(`ALTER TABLE messages ALTER COLUMN phone_number DROP NOT NULL`);
  await db.raw(
    `ALTER TABLE messages ADD CONSTRAINT messages_direction_check CHECK (direction IN ('outbound','inbound'))`,
  );
  await db.raw(
    `ALTER TABLE messages ADD CONSTRAINT messages_outbound_phone CHECK (direction = 'inbound' OR phone_number IS NOT NULL)`,
  );
  await db.raw(
    `ALTER TABLE messages ADD CONSTRAINT messages_auto_reply_kind_check CHECK (auto_reply_kind IN ('rule','outside_hours','opt_out','opt_in'))`,
  );

  await db.raw(`ALTER TABLE messages DROP CONSTRAINT messages_type_check`);
  await db.raw(`ALTER TABLE messages ADD CONSTRAINT messages_type_check CHECK (
    (direction = 'outbound' AND type IN ('text','template','media')) OR (direction = 'inbound' AND type IN (${list(INBOUND_TYPES)})))`);
  await db.raw(`ALTER TABLE messages DROP CONSTRAINT messages_content_check`);
  await db.raw(`ALTER TABLE messages ADD CONSTRAINT messages_content_check CHECK (direction = 'inbound' OR
    (type = 'text' AND text IS NOT NULL) OR (type = 'template' AND template IS NOT NULL) OR (type = 'media' AND media IS NOT NULL))`);
  await db.raw(`ALTER TABLE messages DROP CONSTRAINT messages_status_check`);
  await db.raw(`ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (
    status IN ('scheduled','sending','sent','delivered','read','cancelled','failed','received'))`);

  await db.schema.createTable('auto_reply_cooldowns', (t) => {
    t.bigInteger('contact_id').notNullable().references('contacts.id').onDelete('CASCADE');
    t.bigInteger('rule_id').notNullable().references('auto_reply_rules.id').onDelete('CASCADE');
    t.timestamp('last_reply_at', { useTz: true }).notNullable();
    t.primary(['contact_id', 'rule_id']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('auto_reply_cooldowns');
  await db.raw(`ALTER TABLE messages DROP CONSTRAINT messages_status_check`);
  await db.raw(`DELETE FROM messages WHERE direction = 'inbound'`);
  await db.raw(`UPDATE messages SET status = 'sent' WHERE status IN ('delivered','read')`);
  await db.raw(
    `ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (status IN ('scheduled','sending','sent','cancelled','failed'))`,
  );
  await db.raw(`ALTER TABLE messages DROP CONSTRAINT messages_content_check`);
  await db.raw(`ALTER TABLE messages ADD CONSTRAINT messages_content_check CHECK (
    (type = 'text' AND text IS NOT NULL) OR (type = 'template' AND template IS NOT NULL) OR (type = 'media' AND media IS NOT NULL))`);
  await db.raw(`ALTER TABLE messages DROP CONSTRAINT messages_type_check`);
  await db.raw(`ALTER TABLE messages ADD CONSTRAINT messages_type_check CHECK (type IN ('text','template','media'))`);
  // Later migrations may have replaced this rule; messages.phone_number stays nullable (broadcast parents need that
  // too).
  await db.raw(`ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_outbound_phone`);
  await db.schema.alterTable('messages', (t) => {
    t.dropColumns(
      'direction',
      'from_wa_id',
      'from_user_id',
      'from_name',
      'wa_timestamp',
      'payload',
      'delivered_at',
      'read_at',
      'failed_at',
      'reply_to_id',
      'auto_reply_rule_id',
      'auto_reply_kind',
    );
  });
  await db.schema.dropTable('auto_reply_rules');
  await db.raw(`ALTER TABLE contacts DROP CONSTRAINT contacts_reachable`);
  await db.raw(`DELETE FROM contacts WHERE phone_number IS NULL`);
  await db.raw(`ALTER TABLE contacts ALTER COLUMN phone_number SET NOT NULL`);
  await db.schema.alterTable('contacts', (t) => t.dropColumn('whatsapp_user_id'));
}
