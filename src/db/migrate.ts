import type { Knex } from 'knex';
import * as contactsAndMessages from './migrations/20261127000000_contacts_and_messages';
import * as sendRate from './migrations/20261127005000_send_rate';
import * as groups from './migrations/20261127010000_groups';
import * as inbound from './migrations/20261127020000_inbound';
import * as wordpressSync from './migrations/20261127030000_wordpress_sync';
import * as broadcastRecipients from './migrations/20261127040000_broadcast_recipients';
import * as groupSeatsPerStatement from './migrations/20261127050000_group_seats_per_statement';
import * as optOuts from './migrations/20261202110000_opt_outs';
import * as idempotencyKeys from './migrations/20261202110100_idempotency_keys';
import * as sendAttempts from './migrations/20261202110200_send_attempts';
import * as broadcastChildContent from './migrations/20261202110300_broadcast_child_content';
import * as syncSources from './migrations/20261202120000_sync_sources';
import * as outboxAndInbox from './migrations/20261202130000_outbox_and_inbox';
import * as serviceWindow from './migrations/20261202140000_service_window';
import * as templates from './migrations/20261202141000_templates';
import * as sendLimits from './migrations/20261202142000_send_limits';
import * as deferred from './migrations/20261202143000_deferred';
import * as interactiveMessages from './migrations/20261202160000_interactive_messages';
import * as eventWebhooks from './migrations/20261202161000_event_webhooks';
import * as campaigns from './migrations/20261202150000_campaigns';
import * as statusInteractive from './migrations/20261203_i11b_status_interactive';
import * as i9bTemplateSending from './migrations/20261203000000_i9b_template_sending';
import * as i10bSequences from './migrations/20261203000000_i10b_sequences';
import * as notifyPerBatch from './migrations/20261203090000_i13b_notify_per_batch';

interface Migration {
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}

// Listed in code rather than read from a folder so the same list works from ts and compiled js.
const MIGRATIONS: Record<string, Migration> = {
  '20261127000000_contacts_and_messages': contactsAndMessages,
  '20261127005000_send_rate': sendRate,
  '20261127010000_groups': groups,
  '20261127020000_inbound': inbound,
  '20261127030000_wordpress_sync': wordpressSync,
  '20261127040000_broadcast_recipients': broadcastRecipients,
  '20261127050000_group_seats_per_statement': groupSeatsPerStatement,
  '20261202110000_opt_outs': optOuts,
  '20261202110100_idempotency_keys': idempotencyKeys,
  '20261202110200_send_attempts': sendAttempts,
  '20261202110300_broadcast_child_content': broadcastChildContent,
  '20261202120000_sync_sources': syncSources,
  '20261202130000_outbox_and_inbox': outboxAndInbox,
  '20261202140000_service_window': serviceWindow,
  '20261202141000_templates': templates,
  '20261202142000_send_limits': sendLimits,
  '20261202143000_deferred': deferred,
  '20261202160000_interactive_messages': interactiveMessages,
  '20261202161000_event_webhooks': eventWebhooks,
  '20261202150000_campaigns': campaigns,
  '20261203_i11b_status_interactive': statusInteractive,
  '20261203000000_i9b_template_sending': i9bTemplateSending,
  '20261203000000_i10b_sequences': i10bSequences,
  '20261203090000_i13b_notify_per_batch': notifyPerBatch,
};

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(MIGRATIONS).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => MIGRATIONS[name],
};

export async function migrateToLatest(db: Knex): Promise<void> {
  await db.migrate.latest({ migrationSource: source });
}
