import type { Knex } from 'knex';

/**
 * Idempotency-Key records for every creating POST (Stripe's semantics): one row per
 * (scope, key), where scope is the method, route and the caller's credential. `status_code`
 * null means the first request is still running; `token` names this use of the key, so a key
 * reused after it expired starts afresh.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('idempotency_keys', (t) => {
    t.text('scope').notNullable();
    t.text('key').notNullable();
    t.text('token').notNullable();
    t.text('fingerprint').notNullable();
    t.integer('status_code');
    t.jsonb('response_body');
    t.timestamp('locked_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.primary(['scope', 'key']);
    t.index(['expires_at']);
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('idempotency_keys');
}
