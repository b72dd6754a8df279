import type { Knex } from 'knex';
import { GROUP_FUNCTIONS, GROUP_TRIGGERS } from './sql/group-seats';

/**
 * Groups (our own audiences of at most `capacity` contacts), broadcasts as parent/child
 * rows in `messages`, and statuses (scheduled broadcasts to an audience).
 *
 * Group membership is decided in Postgres, by triggers on `contacts`, so every writer of
 * contacts (API, WordPress sync, inbound WhatsApp) gets it without code of its own and the
 * cap cannot be broken by two writers racing: see sql/group-seats.ts.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('groups', (t) => {
    t.bigIncrements('id');
    t.text('name').notNullable().unique();
    t.integer('capacity').notNullable();
    t.integer('member_count').notNullable().defaultTo(0);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['created_at', 'id']);
  });
  await db.raw(`ALTER TABLE groups ADD CONSTRAINT groups_capacity_positive CHECK (capacity > 0)`);
  await db.raw(`ALTER TABLE groups ADD CONSTRAINT groups_member_count_check CHECK (member_count >= 0)`);
  await db.raw(`ALTER TABLE groups ADD CONSTRAINT groups_name_check CHECK (length(name) BETWEEN 1 AND 128)`);

  // One row: the capacity the database gives groups it creates itself (GROUP_CAPACITY, written at start-up).
  await db.schema.createTable('group_settings', (t) => {
    t.boolean('id').primary().defaultTo(true);
    t.integer('default_capacity').notNullable();
  });
  await db.raw(`ALTER TABLE group_settings ADD CONSTRAINT group_settings_single_row CHECK (id)`);
  await db.raw(
    `ALTER TABLE group_settings ADD CONSTRAINT group_settings_capacity_positive CHECK (default_capacity > 0)`,
  );
  await db('group_settings').insert({ id: true, default_capacity: 250 });

  await db.schema.alterTable('contacts', (t) => {
    t.foreign('group_id').references('groups.id').onDelete('RESTRICT');
    t.index(['group_id']);
  });
  for (const statement of [...GROUP_FUNCTIONS, ...GROUP_TRIGGERS]) await db.raw(statement);

  await db.schema.alterTable('messages', (t) => {
    t.text('kind').notNullable().defaultTo('single');
    t.bigInteger('parent_id').references('messages.id').onDelete('CASCADE');
    t.bigInteger('group_id').references('groups.id').onDelete('SET NULL');
    // A broadcast's audience: group ids, or null for every contact who has not opted out.
    t.jsonb('audience_group_ids');
    // Set when the recipients were written (at the broadcast's time), null before.
    t.integer('recipient_count');
    t.index(['parent_id', 'id']);
  });
  // A broadcast parent has no phone of its own (its children do): see 20261127040000_broadcast_recipients.
  await db.raw(`ALTER TABLE messages ALTER COLUMN phone_number DROP NOT NULL`);
  await db.raw(`ALTER TABLE messages ADD CONSTRAINT messages_kind_check CHECK (kind IN ('single','broadcast'))`);
  await db.raw(
    `ALTER TABLE messages ADD CONSTRAINT messages_broadcast_top_level CHECK (kind = 'single' OR parent_id IS NULL)`,
  );
  // One delivery per member per broadcast, however often the recipients are written.
  await db.raw(
    `CREATE UNIQUE INDEX messages_parent_contact_unique ON messages (parent_id, contact_id) WHERE parent_id IS NOT NULL`,
  );

  await db.schema.createTable('statuses', (t) => {
    t.bigIncrements('id');
    t.text('text').notNullable();
    t.jsonb('template');
    t.jsonb('media');
    t.jsonb('audience_group_ids');
    t.timestamp('scheduled_at', { useTz: true }).notNullable();
    t.text('status').notNullable().defaultTo('scheduled');
    t.bigInteger('message_id').references('messages.id').onDelete('SET NULL');
    t.text('error_code');
    t.text('error_message');
    t.timestamp('published_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['created_at', 'id']);
  });
  await db.raw(
    `ALTER TABLE statuses ADD CONSTRAINT statuses_status_check CHECK (status IN ('scheduled','publishing','published','cancelled','failed'))`,
  );

  // Contacts that existed before groups get their seats now.
  await db.raw(`SELECT rebalance_groups()`);
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('statuses');
  await db.raw(`DROP INDEX messages_parent_contact_unique`);
  await db.raw(`DELETE FROM messages WHERE kind = 'broadcast'`);
  await db.schema.alterTable('messages', (t) =>
    t.dropColumns('kind', 'parent_id', 'group_id', 'audience_group_ids', 'recipient_count'),
  );
  await db.raw(`DROP TRIGGER contacts_assign_group ON contacts`);
  await db.raw(`DROP TRIGGER contacts_count_group ON contacts`);
  await db.raw(
    `DROP FUNCTION rebalance_groups(), contacts_before_insert_group(), contacts_after_group_change(), groups_pick_seat(), groups_take_seat(bigint), groups_create_next()`,
  );
  await db.schema.alterTable('contacts', (t) => {
    t.dropForeign('group_id');
    t.dropIndex(['group_id']);
  });
  await db.raw(`UPDATE contacts SET group_id = NULL`);
  await db.schema.dropTable('group_settings');
  await db.schema.dropTable('groups');
}
