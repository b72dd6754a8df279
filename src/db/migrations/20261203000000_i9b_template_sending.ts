import type { Knex } from 'knex';

/**
 * Templates on their way (`sending`) count toward the daily unique-recipient limit before
 * WhatsApp answers; this index finds them without reading every message.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(`CREATE INDEX messages_template_sending ON messages (phone_number) WHERE type = 'template' AND status = 'sending'`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('DROP INDEX IF EXISTS messages_template_sending');
}
