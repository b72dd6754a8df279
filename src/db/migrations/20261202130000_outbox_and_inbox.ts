import type { Knex } from 'knex';

/**
 * The two tables that let the API answer on a Postgres commit:
 * - `workflow_outbox`: "start workflow X with these options", written in the same transaction
 *   as the row it belongs to, started by the dispatcher in every API process, then deleted.
 * - `webhook_inbox`: every webhook event once per (wamid, status), applied by the inbox
 *   processor; processed rows stay a while so a 360Dialog retry is recognised as a duplicate.
 * A statement-level trigger NOTIFYs each table's channel, so idle dispatchers wake at once.
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(`
    CREATE TABLE workflow_outbox (
      id bigserial PRIMARY KEY,
      workflow_type text NOT NULL,
      workflow_id text NOT NULL,
      start jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      available_at timestamptz NOT NULL DEFAULT now(),
      leased_until timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      last_error text,
      CONSTRAINT workflow_outbox_workflow_id_unique UNIQUE (workflow_id)
    )`);
  await db.raw(`CREATE INDEX workflow_outbox_due ON workflow_outbox (available_at, id)`);
  await db.raw(`
    CREATE TABLE webhook_inbox (
      id bigserial PRIMARY KEY,
      wamid text NOT NULL,
      status text NOT NULL,
      event jsonb NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      processed_at timestamptz,
      CONSTRAINT webhook_inbox_event_unique UNIQUE (wamid, status)
    )`);
  await db.raw(`CREATE INDEX webhook_inbox_pending ON webhook_inbox (id) WHERE processed_at IS NULL`);
  await db.raw(`CREATE INDEX webhook_inbox_processed ON webhook_inbox (processed_at) WHERE processed_at IS NOT NULL`);
  await db.raw(`
    CREATE FUNCTION notify_table_channel() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify(TG_ARGV[0], '');
      RETURN NULL;
    END $$`);
  await db.raw(
    `CREATE TRIGGER workflow_outbox_notify AFTER INSERT ON workflow_outbox FOR EACH STATEMENT EXECUTE FUNCTION notify_table_channel('wa_workflow_outbox')`,
  );
  await db.raw(
    `CREATE TRIGGER webhook_inbox_notify AFTER INSERT ON webhook_inbox FOR EACH STATEMENT EXECUTE FUNCTION notify_table_channel('wa_webhook_inbox')`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.raw(`DROP TABLE webhook_inbox`);
  await db.raw(`DROP TABLE workflow_outbox`);
  await db.raw(`DROP FUNCTION notify_table_channel()`);
}
