import type { Knex } from 'knex';

const hasDirection = async (db: Knex) => db.schema.hasColumn('messages', 'direction');

/**
 * Outbound messages need a phone number, except a broadcast parent: its recipients are its
 * children. Replaces the inbound migration's `messages_outbound_phone` with one rule that
 * knows both exceptions (inbound senders known only by user id, and broadcast parents).
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(`ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_outbound_phone`);
  const inbound = (await hasDirection(db)) ? ` OR direction = 'inbound'` : '';
  await db.raw(
    `ALTER TABLE messages ADD CONSTRAINT messages_recipient_phone CHECK (phone_number IS NOT NULL OR kind = 'broadcast'${inbound})`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`ALTER TABLE messages DROP CONSTRAINT messages_recipient_phone`);
  if (await hasDirection(db)) {
    await db.raw(
      `ALTER TABLE messages ADD CONSTRAINT messages_outbound_phone CHECK (direction = 'inbound' OR phone_number IS NOT NULL) NOT VALID`,
    );
  }
}
