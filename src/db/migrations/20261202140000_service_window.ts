import type { Knex } from 'knex';

/**
 * The 24-hour customer service window. A trigger keeps `contacts.last_inbound_at` at the time of
 * the contact's newest inbound message, whichever code path writes it (webhook, inbox, import),
 * so the send path reads the window from the contact row it already joins.
 * Messages get an optional fallback template (sent instead when the window is closed at send
 * time), whether the fallback was used, and the warnings the API gave when it accepted them.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('contacts', (t) => {
    t.timestamp('last_inbound_at', { useTz: true }).nullable();
  });
  await db.schema.alterTable('messages', (t) => {
    t.jsonb('fallback_template').nullable();
    t.boolean('fallback_used').notNullable().defaultTo(false);
    t.jsonb('warnings').nullable();
  });
  // WhatsApp opens the window at the customer's message time; a clock ahead of ours cannot stretch it.
  await db.raw(`
    CREATE FUNCTION contacts_track_last_inbound() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE contacts SET last_inbound_at = GREATEST(last_inbound_at, LEAST(COALESCE(NEW.wa_timestamp, NEW.created_at), now()))
      WHERE id = NEW.contact_id;
      RETURN NULL;
    END $$`);
  await db.raw(`
    CREATE TRIGGER messages_track_last_inbound AFTER INSERT ON messages
    FOR EACH ROW WHEN (NEW.direction = 'inbound' AND NEW.contact_id IS NOT NULL)
    EXECUTE FUNCTION contacts_track_last_inbound()`);
  await db.raw(`
    UPDATE contacts c SET last_inbound_at = latest.at
    FROM (SELECT contact_id, max(LEAST(COALESCE(wa_timestamp, created_at), now())) AS at
          FROM messages WHERE direction = 'inbound' AND contact_id IS NOT NULL GROUP BY contact_id) latest
    WHERE latest.contact_id = c.id`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('DROP TRIGGER IF EXISTS messages_track_last_inbound ON messages');
  await db.raw('DROP FUNCTION IF EXISTS contacts_track_last_inbound()');
  await db.schema.alterTable('messages', (t) => {
    t.dropColumn('fallback_template');
    t.dropColumn('fallback_used');
    t.dropColumn('warnings');
  });
  await db.schema.alterTable('contacts', (t) => {
    t.dropColumn('last_inbound_at');
  });
}
