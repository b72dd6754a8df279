import type { Knex } from 'knex';

/**
 * Templates on their way (`sending`) count toward the daily unique-recipient limit before
 * WhatsApp answers; this index finds them without reading every message. And when a message was
 * deferred for Meta's per-user marketing cap (131049), so that it is retried once and only once,
 * whichever way the 131049 arrived (the send's answer or a `failed` status webhook). And what
 * POST /status/ warned about, shown with the status as with a message.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(
    `CREATE INDEX messages_template_sending ON messages (phone_number) WHERE type = 'template' AND status = 'sending'`,
  );
  await db.schema.alterTable('messages', (t) => {
    t.timestamp('marketing_cap_deferred_at', { useTz: true }).nullable();
  });
  await db.schema.alterTable('statuses', (t) => {
    t.jsonb('warnings').nullable();
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('statuses', (t) => {
    t.dropColumn('warnings');
  });
  await db.schema.alterTable('messages', (t) => {
    t.dropColumn('marketing_cap_deferred_at');
  });
  await db.raw('DROP INDEX IF EXISTS messages_template_sending');
}
