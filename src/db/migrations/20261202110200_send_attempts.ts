import type { Knex } from 'knex';

/**
 * `sending_since`: set when a send attempt claims the row (it may call WhatsApp from then on),
 * cleared when that attempt records what WhatsApp answered. A claim that finds it still set
 * knows an earlier attempt died mid-send, with no way to tell whether WhatsApp got the
 * message, so it never sends blindly again (the row fails `send_outcome_unknown`).
 */
export async function up(db: Knex): Promise<void> {
  await db.schema.alterTable('messages', (t) => {
    t.timestamp('sending_since', { useTz: true });
  });
}

export async function down(db: Knex): Promise<void> {
  await db.schema.alterTable('messages', (t) => t.dropColumn('sending_since'));
}
