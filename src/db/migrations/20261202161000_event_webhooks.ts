import type { Knex } from 'knex';

/**
 * Signed event webhooks out: subscriptions, the events themselves (an outbox
 * written in the transaction of the change they report), and one delivery row per event and
 * subscription that records every attempt's outcome.
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.createTable('event_subscriptions', (t) => {
    t.bigIncrements('id');
    t.text('url').notNullable();
    t.jsonb('events').notNullable();
    t.text('description');
    t.text('secret').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.text('disabled_reason');
    t.timestamp('failing_since', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.schema.createTable('webhook_events', (t) => {
    t.bigIncrements('id');
    // Deterministic (`message.received:<id>`...), so a retried activity records an event once.
    t.text('event_id').notNullable().unique();
    t.text('type').notNullable();
    t.jsonb('data').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
  });
  await db.schema.createTable('event_deliveries', (t) => {
    t.bigIncrements('id');
    t.bigInteger('subscription_id').notNullable().references('event_subscriptions.id').onDelete('CASCADE');
    t.bigInteger('event_row_id').notNullable().references('webhook_events.id').onDelete('CASCADE');
    t.text('status').notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('response_code');
    t.integer('latency_ms');
    t.text('last_error');
    t.timestamp('next_retry_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('delivered_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(db.fn.now());
    t.unique(['subscription_id', 'event_row_id']);
    t.index(['subscription_id', 'status', 'next_retry_at']);
  });
  await db.raw(
    `ALTER TABLE event_deliveries ADD CONSTRAINT event_deliveries_status_check CHECK (status IN ('pending','delivered','failed'))`,
  );
}

export async function down(db: Knex): Promise<void> {
  await db.schema.dropTable('event_deliveries');
  await db.schema.dropTable('webhook_events');
  await db.schema.dropTable('event_subscriptions');
}
