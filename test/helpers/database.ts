import { randomBytes } from 'node:crypto';
import { knex, type Knex } from 'knex';
import { createDb } from '../../src/db/knex';
import { migrateToLatest } from '../../src/db/migrate';

export const ADMIN_DATABASE_URL = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  name: string;
  url: string;
  db: Knex;
  drop(): Promise<void>;
}

export const adminConnection = () => knex({ client: 'pg', connection: ADMIN_DATABASE_URL, pool: { min: 0, max: 1 } });

/** A database of its own for this test run, migrated, dropped at the end. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `wa_test_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = adminConnection();
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), 'unused');
  await migrateToLatest(db);
  return {
    name,
    url: url.toString(),
    db,
    async drop() {
      await db.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

/**
 * Empties every table between tests (not group_settings: it is configuration, set from GROUP_CAPACITY); ids keep
 * counting up so workflow ids never repeat.
 */
export async function truncateAll(db: Knex): Promise<void> {
  const { rows } = await db.raw(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'knex_%' AND tablename <> 'group_settings'`,
  );
  if (rows.length === 0) return;
  const statement = `TRUNCATE ${rows.map((r: { tablename: string }) => `"${r.tablename}"`).join(', ')} CASCADE`;
  // The API's outbox and inbox loops hold row locks for a moment; a TRUNCATE meeting them in the other order is a
  // deadlock, tried again.
  for (let attempt = 1; ; attempt++) {
    try {
      await db.raw(statement);
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== '40P01' || attempt >= 5) throw err;
    }
  }
}
