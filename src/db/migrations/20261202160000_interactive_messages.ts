import type { Knex } from 'knex';
import { INBOUND_TYPES } from '../repositories/messages';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(',');

/**
 * Interactive messages: outbound reply buttons, lists and CTA URL buttons in
 * their own jsonb column; the id a customer tapped kept beside the inbound message; auto-reply
 * rules that match on that id (`match = 'button'`). Broadcast deliveries read it from their
 * parent, like the other content columns (20261202110300_broadcast_child_content).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('messages', (t) => {
    t.jsonb('interactive');
    t.text('reply_id');
  });
  await db.raw(`ALTER TABLE messages DROP CONSTRAINT messages_type_check`);
  await db.raw(`ALTER TABLE messages ADD CONSTRAINT messages_type_check CHECK (
    (direction = 'outbound' AND type IN ('text','template','media','interactive')) OR (direction = 'inbound' AND type IN (${list(INBOUND_TYPES)})))`);
  await db.raw(`ALTER TABLE messages DROP CONSTRAINT messages_content_check`);
  await db.raw(`ALTER TABLE messages ADD CONSTRAINT messages_content_check CHECK (direction = 'inbound' OR parent_id IS NOT NULL OR
    (type = 'text' AND text IS NOT NULL) OR (type = 'template' AND template IS NOT NULL) OR (type = 'media' AND media IS NOT NULL)
    OR (type = 'interactive' AND interactive IS NOT NULL))`);
  await db.raw(`ALTER TABLE auto_reply_rules DROP CONSTRAINT auto_reply_rules_match_check`);
  await db.raw(
    `ALTER TABLE auto_reply_rules ADD CONSTRAINT auto_reply_rules_match_check CHECK (match IN ('exact','contains','starts_with','regex','any','button'))`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`DELETE FROM auto_reply_rules WHERE match = 'button'`);
  await db.raw(`ALTER TABLE auto_reply_rules DROP CONSTRAINT auto_reply_rules_match_check`);
  await db.raw(
    `ALTER TABLE auto_reply_rules ADD CONSTRAINT auto_reply_rules_match_check CHECK (match IN ('exact','contains','starts_with','regex','any'))`,
  );
  await db.raw(`DELETE FROM messages WHERE direction = 'outbound' AND type = 'interactive'`);
  await db.raw(`ALTER TABLE messages DROP CONSTRAINT messages_content_check`);
  await db.raw(`ALTER TABLE messages ADD CONSTRAINT messages_content_check CHECK (direction = 'inbound' OR parent_id IS NOT NULL OR
    (type = 'text' AND text IS NOT NULL) OR (type = 'template' AND template IS NOT NULL) OR (type = 'media' AND media IS NOT NULL))`);
  await db.raw(`ALTER TABLE messages DROP CONSTRAINT messages_type_check`);
  await db.raw(`ALTER TABLE messages ADD CONSTRAINT messages_type_check CHECK (
    (direction = 'outbound' AND type IN ('text','template','media')) OR (direction = 'inbound' AND type IN (${list(INBOUND_TYPES)})))`);
  await db.schema.alterTable('messages', (t) => t.dropColumns('interactive', 'reply_id'));
}
