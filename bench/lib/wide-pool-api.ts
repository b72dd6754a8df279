import type { AddressInfo } from 'node:net';
import { knex } from 'knex';
import pino from 'pino';
import { buildApp } from '../../src/api/app';
import { closeServer } from '../../src/runtime/lifecycle';
import type { TestSystem } from '../../test/helpers/system';

/**
 * A probe for what bounds POST /whatsapp/: a second API on the same system whose Knex pool
 * has `connections` connections instead of the product's 10. Each create holds its connection
 * (the row's transaction) while the workflow starts, so the pool caps requests in flight.
 */
export async function startWidePoolApi(system: TestSystem, databaseUrl: string, connections: number) {
  const db = knex({ client: 'pg', connection: { connectionString: databaseUrl }, pool: { min: 0, max: connections } });
  const server = buildApp({
    config: system.config,
    db,
    temporal: system.temporal,
    logger: pino({ level: 'silent' }),
    background: system.background,
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      await closeServer(server);
      await db.destroy();
    },
  };
}
