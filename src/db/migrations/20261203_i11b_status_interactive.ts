import type { Knex } from 'knex';

/** Status posts may carry reply buttons, a list or a CTA URL button, sent to the audience like POST /whatsapp/'s. */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('statuses', (t) => t.jsonb('interactive'));
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('statuses', (t) => t.dropColumn('interactive'));
}
