import type { Knex } from 'knex';

/**
 * A broadcast's deliveries (children) refer to their parent's content instead of holding a
 * copy each: a 10,000-member broadcast of a 16 KB template wrote 160 MB of copies. A child
 * keeps only its type; the send path and the API read text, template and media from the
 * parent. Children written before this migration drop their copies here.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(`ALTER TABLE messages DROP CONSTRAINT messages_content_check`);
  await db.raw(`ALTER TABLE messages ADD CONSTRAINT messages_content_check CHECK (direction = 'inbound' OR parent_id IS NOT NULL OR
    (type = 'text' AND text IS NOT NULL) OR (type = 'template' AND template IS NOT NULL) OR (type = 'media' AND media IS NOT NULL))`);
  await db.raw(
    `UPDATE messages SET text = NULL, template = NULL, media = NULL WHERE parent_id IS NOT NULL AND (text IS NOT NULL OR template IS NOT NULL OR media IS NOT NULL)`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.raw(
    `UPDATE messages c SET text = p.text, template = p.template, media = p.media FROM messages p WHERE c.parent_id = p.id`,
  );
  await db.raw(`ALTER TABLE messages DROP CONSTRAINT messages_content_check`);
  await db.raw(`ALTER TABLE messages ADD CONSTRAINT messages_content_check CHECK (direction = 'inbound' OR
    (type = 'text' AND text IS NOT NULL) OR (type = 'template' AND template IS NOT NULL) OR (type = 'media' AND media IS NOT NULL))`);
}
