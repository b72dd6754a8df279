import type { Knex } from 'knex';

/**
 * The outbox and inbox no longer NOTIFY from a trigger in every writing transaction: Postgres
 * queues a notification under a database-wide lock held through the commit, so every request's
 * commit waited for the others' (about 600 commits/s at most on 2 cores, against 8,000+ without).
 * The writing process now wakes its own loops and sends one NOTIFY per short batch instead
 * (src/outbox/wakeup.ts).
 */
export async function up(db: Knex): Promise<void> {
  await db.raw(`DROP TRIGGER IF EXISTS workflow_outbox_notify ON workflow_outbox`);
  await db.raw(`DROP TRIGGER IF EXISTS webhook_inbox_notify ON webhook_inbox`);
}

export async function down(db: Knex): Promise<void> {
  await db.raw(
    `CREATE TRIGGER workflow_outbox_notify AFTER INSERT ON workflow_outbox FOR EACH STATEMENT EXECUTE FUNCTION notify_table_channel('wa_workflow_outbox')`,
  );
  await db.raw(
    `CREATE TRIGGER webhook_inbox_notify AFTER INSERT ON webhook_inbox FOR EACH STATEMENT EXECUTE FUNCTION notify_table_channel('wa_webhook_inbox')`,
  );
}
