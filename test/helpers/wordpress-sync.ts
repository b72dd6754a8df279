import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { WORDPRESS_SYNC_WORKFLOW_ID } from '../../workflows/wordpress-sync-definitions';
import { FakeWordPress, type FakeEntry } from '../fakes/fake-wordpress';
import type { ApiClient } from './api-client';
import { truncateAll } from './database';
import { eventually } from './poll';
import { getShared, startSystem, type TestSystem } from './system';

// WordPress prints GMT times without an offset.
export const wpTime = (at: number) => new Date(at).toISOString().slice(0, 19);
const T0 = Date.now() - 2 * 3_600_000;
let nextId = 1;

/** An entry of a custom lead route (register_rest_route), values nested under `fields`. */
export function lead(overrides: { phone?: string; first?: string; modifiedAt?: number } = {}): FakeEntry {
  const id = nextId++;
  const modified = wpTime(overrides.modifiedAt ?? T0 + id * 1_000);
  return {
    id,
    date_gmt: modified,
    modified_gmt: modified,
    fields: {
      first_name: overrides.first ?? 'Lead',
      last_name: String(id),
      phone: overrides.phone ?? `+49 151 ${30_000_000 + id}`,
      email: `lead${id}@example.com`,
    },
  };
}
export const leads = (n: number) => Array.from({ length: n }, () => lead());
export const resetLeadIds = () => {
  nextId = 1;
};
export const e164 = (entry: FakeEntry) => (entry.fields as { phone: string }).phone.replace(/\s/g, '');

export async function groupSizes(db: Knex): Promise<number[]> {
  const rows = await db('contacts').select('group_id').count({ n: '*' }).groupBy('group_id').orderByRaw('min(id)');
  return rows.map((r) => Number(r.n));
}

export const contactCount = async (db: Knex) => Number((await db('contacts').count({ n: '*' }))[0].n);

/** Waits for a finished run newer than `afterRunId` and returns the report. */
export async function finishedRun(api: ApiClient, afterRunId = 0) {
  return eventually(
    async () => {
      const { body } = await api.get('/contacts/sync/');
      return body.run_id > afterRunId && body.status !== 'running' ? body : undefined;
    },
    { what: `a sync run after #${afterRunId}`, timeoutMs: 60_000, intervalMs: 200 },
  );
}

/** POST /contacts/sync/ (optionally `{"full": true}`) and wait for the cycle it starts. */
export async function syncNow(api: ApiClient, body?: { full?: boolean }) {
  const before = (await api.get('/contacts/sync/')).body.run_id ?? 0;
  const accepted = await api.post('/contacts/sync/', body);
  assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
  return finishedRun(api, before);
}

/** The env of a system syncing `wp`'s custom route with the fields of `lead()`. */
export const customRouteEnv = (wp: FakeWordPress, env: Record<string, string> = {}): Record<string, string> => ({
  WORDPRESS_URL: wp.url,
  WORDPRESS_USERNAME: wp.username,
  WORDPRESS_APP_PASSWORD: wp.password,
  WORDPRESS_CONTACTS_PATH: wp.path,
  WORDPRESS_FIELD_NAME: 'fields.first_name,fields.last_name',
  WORDPRESS_FIELD_PHONE: 'fields.phone',
  WORDPRESS_FIELD_EMAIL: 'fields.email',
  WORDPRESS_SYNC_INTERVAL: '1h',
  WORDPRESS_TIMEOUT_MS: '1000',
  ...env,
});

/**
 * A system (API + worker) with these settings whose worker starts a fresh `wordpress-sync`: a redeploy with new env.
 */
export async function restartWithEnv(
  previous: TestSystem | undefined,
  env: Record<string, string>,
): Promise<TestSystem> {
  await stopSyncWorkflow(previous, 'settings changed');
  await previous?.stop();
  const system = await startSystem(env, { worker: false });
  await stopSyncWorkflow(system, 'a fresh sync with these settings');
  await system.startWorker();
  return system;
}

/**
 * A fresh database, a fake WordPress custom route holding `initial` leads, and a system whose
 * worker starts a fresh `wordpress-sync` (any earlier one is terminated first).
 */
export async function startWordPressSystem(
  initial: number,
  env: Record<string, string> = {},
): Promise<{ wp: FakeWordPress; system: TestSystem }> {
  const wp = await new FakeWordPress().start();
  nextId = 1;
  wp.add(...leads(initial));
  await truncateAll(getShared().database.db);
  const system = await startSystem(customRouteEnv(wp, env), { worker: false });
  await stopSyncWorkflow(system, 'a fresh sync for this test file');
  await system.startWorker();
  return { wp, system };
}

export async function stopSyncWorkflow(system: TestSystem | undefined, reason: string): Promise<void> {
  await system?.temporal.workflow
    .getHandle(WORDPRESS_SYNC_WORKFLOW_ID)
    .terminate(reason)
    .catch(() => undefined);
}
