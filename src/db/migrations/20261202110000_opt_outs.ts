import type { Knex } from 'knex';

/**
 * The suppression list: phone numbers (E.164) that said STOP, kept apart from `contacts` so an
 * opt-out outlives the contact. A trigger keeps `contacts.opted_out` true for any contact whose
 * number is on the list, whoever writes the row (API create, WordPress import, a WhatsApp
 * sender): deleting a contact and creating it again never re-subscribes it. Marking a contact
 * opted out (STOP, or PATCH opted_out=true) puts its number on the list in the same statement.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('opt_outs', (t) => {
    t.bigIncrements('id');
    t.text('phone_number').notNullable().unique();
    t.text('source').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.index(['created_at', 'id']);
  });
  await db.raw(
    `ALTER TABLE opt_outs ADD CONSTRAINT opt_outs_phone_e164 CHECK (phone_number ~ '^\\+[1-9][0-9]{6,14}$')`,
  );
  await db.raw(
    `ALTER TABLE opt_outs ADD CONSTRAINT opt_outs_source_check CHECK (source IN ('whatsapp','api','migration'))`,
  );
  await db.raw(`
    INSERT INTO opt_outs (phone_number, source, created_at)
    SELECT phone_number, 'migration', COALESCE(opted_out_at, now()) FROM contacts
    WHERE opted_out AND phone_number IS NOT NULL
    ON CONFLICT (phone_number) DO NOTHING`);

  await db.raw(`
    CREATE FUNCTION contacts_follow_opt_outs() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE listed timestamptz;
    BEGIN
      IF NEW.phone_number IS NULL THEN RETURN NEW; END IF;
      IF NEW.opted_out THEN
        INSERT INTO opt_outs (phone_number, source) VALUES (NEW.phone_number, 'api') ON CONFLICT (phone_number) DO NOTHING;
        RETURN NEW;
      END IF;
      SELECT created_at INTO listed FROM opt_outs WHERE phone_number = NEW.phone_number;
      IF FOUND THEN
        NEW.opted_out := true;
        NEW.opted_out_at := COALESCE(NEW.opted_out_at, listed);
      END IF;
      RETURN NEW;
    END $$`);
  await db.raw(`CREATE TRIGGER contacts_follow_opt_outs BEFORE INSERT OR UPDATE OF phone_number, opted_out ON contacts
    FOR EACH ROW EXECUTE FUNCTION contacts_follow_opt_outs()`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw('DROP TRIGGER IF EXISTS contacts_follow_opt_outs ON contacts');
  await db.raw('DROP FUNCTION IF EXISTS contacts_follow_opt_outs()');
  await db.schema.dropTable('opt_outs');
}
