import type { Knex } from 'knex';
import * as contactsAndMessages from './migrations/20261127000000_contacts_and_messages';

interface Migration {
  up(db: Knex): Promise<void>;
  down(db: Knex): Promise<void>;
}

// Listed in code rather than read from a folder so the same list works from ts and compiled js.
const MIGRATIONS: Record<string, Migration> = {
  '20261127000000_contacts_and_messages': contactsAndMessages,
};

const source: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(MIGRATIONS).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => MIGRATIONS[name],
};

export async function migrateToLatest(db: Knex): Promise<void> {
  await db.migrate.latest({ migrationSource: source });
}
