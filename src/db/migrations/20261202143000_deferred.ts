import type { Knex } from 'knex';

/**
 * `deferred`: a delivery WhatsApp's limits hold back until a known time (the daily
 * unique-recipient limit), and the index that counts the business-initiated recipients of the
 * last 24 hours without reading every message.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw('ALTER TABLE messages DROP CONSTRAINT messages_status_check');
  await db.raw(`ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (
    status IN ('scheduled','sending','sent','delivered','read','cancelled','failed','received','deferred'))`);
  await db.raw(
    `CREATE INDEX messages_business_initiated_sent_at ON messages (sent_at) WHERE type = 'template' AND sent_at IS NOT NULL`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.raw('DROP INDEX IF EXISTS messages_business_initiated_sent_at');
  await db.raw(`UPDATE messages SET status = 'scheduled' WHERE status = 'deferred'`);
  await db.raw('ALTER TABLE messages DROP CONSTRAINT messages_status_check');
  await db.raw(`ALTER TABLE messages ADD CONSTRAINT messages_status_check CHECK (
    status IN ('scheduled','sending','sent','delivered','read','cancelled','failed','received'))`);
}
