import assert from 'node:assert/strict';
import { FakeWordPress, type FakeEntry } from '../fakes/fake-wordpress';
import { apiClient } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { truncateAll } from '../helpers/database';
import { getShared, startSystem, type TestSystem } from '../helpers/system';
import {
  contactCount,
  customRouteEnv,
  finishedRun,
  lead,
  resetLeadIds,
  restartWithEnv,
  stopSyncWorkflow,
  syncNow,
} from '../helpers/wordpress-sync';

// Users as WordPress lists them with context=edit: registered_date never moves when a user is edited.
const user = (id: number, phone?: string): FakeEntry => ({
  id,
  name: `User ${id}`,
  email: `user${id}@example.com`,
  registered_date: '2026-11-01T09:00:00+00:00',
  meta: { phone: phone ?? '' },
});

// Each test is a redeploy with other settings against the same two sites and the same database.
describe('WordPress sync: a cursor per configuration, full passes, the users preset', function () {
  this.timeout(180_000);
  let site: FakeWordPress;
  let users: FakeWordPress;
  let system: TestSystem | undefined;
  const api = () => apiClient((system as TestSystem).baseUrl);
  const usersEnv = () => ({
    WORDPRESS_URL: users.url,
    WORDPRESS_USERNAME: users.username,
    WORDPRESS_APP_PASSWORD: users.password,
    WORDPRESS_PRESET: 'users',
    WORDPRESS_SYNC_INTERVAL: '1h',
  });

  before(async () => {
    site = await new FakeWordPress().start();
    users = await new FakeWordPress({ style: 'users', path: '/wp-json/wp/v2/users' }).start();
    resetLeadIds();
    // A minute apart, so the first ones lie well before the cursor's 10-minute overlap.
    const start = Date.now() - 3 * 3_600_000;
    site.add(...Array.from({ length: 30 }, (_, i) => lead({ modifiedAt: start + i * 60_000 })));
    // 20 users with a phone, 10 without (yet).
    users.add(
      ...Array.from({ length: 30 }, (_, i) => user(i + 1, i < 20 ? `+49 151 ${50_000_000 + i + 1}` : undefined)),
    );
    await truncateAll(getShared().database.db);
  });

  after(async () => {
    await stopSyncWorkflow(system, 'test file done');
    await system?.stop();
    await site?.stop();
    await users?.stop();
  });

  it('a wrong field map skips every row; once it is fixed, every lead is imported (the old cursor does not apply)', async () => {
    system = await restartWithEnv(system, customRouteEnv(site, { WORDPRESS_FIELD_PHONE: 'phone' }));
    const wrong = await finishedRun(api());
    assert.deepEqual(
      [wrong.status, wrong.created, wrong.skipped, wrong.skipped_reasons],
      ['succeeded', 0, 30, { missing_phone: 30 }],
      JSON.stringify(wrong),
    );

    system = await restartWithEnv(system, customRouteEnv(site));
    const fixed = await finishedRun(api(), wrong.run_id);
    assert.deepEqual(
      [fixed.status, fixed.created, fixed.unchanged, fixed.skipped],
      ['succeeded', 30, 0, 0],
      JSON.stringify(fixed),
    );
    assert.equal(await contactCount(system.db), 30);
  });

  it('POST {"full": true} re-imports everything the cursor would skip, and answers with the new run', async () => {
    await system!.db('contacts').whereIn('phone_number', ['+4915130000001', '+4915130000002']).delete();
    const usual = await syncNow(api());
    assert.deepEqual([usual.created, usual.unchanged], [0, 30], JSON.stringify(usual));

    const accepted = await api().post('/contacts/sync/', { full: true });
    assert.equal(accepted.status, 202);
    assert.ok(
      accepted.body.run_id > usual.run_id,
      `answered with run ${accepted.body.run_id}, not a new one after ${usual.run_id}`,
    );
    const full = await finishedRun(api(), usual.run_id);
    assert.deepEqual(
      [full.status, full.created, full.unchanged, full.skipped],
      ['succeeded', 2, 28, 0],
      JSON.stringify(full),
    );
    assert.equal(await contactCount(system!.db), 30);

    const bad = assertError(await api().post('/contacts/sync/', { full: 'yes' }), 400, 'validation_error');
    assert.equal(bad.details?.[0].path, 'full');
  });

  it('switching to the users preset imports its users (its own cursor) and the report names the preset', async () => {
    const before = (await api().get('/contacts/sync/')).body.run_id;
    system = await restartWithEnv(system, usersEnv());
    const report = await finishedRun(api(), before);
    assert.deepEqual(
      [report.status, report.preset, report.run_preset, report.fetched, report.created],
      ['succeeded', 'users', 'users', 30, 20],
      JSON.stringify(report),
    );
    assert.deepEqual(report.skipped_reasons, { missing_phone: 10 });
  });

  it('users preset: a phone added later and a renamed user are seen without a modification time; the rest is unchanged', async () => {
    (users.entries[24].meta as { phone: string }).phone = '+49 151 59999925';
    users.entries[3].name = 'Renamed In WordPress';
    const report = await syncNow(api());
    assert.deepEqual(
      [report.created, report.updated, report.unchanged, report.skipped],
      [1, 1, 28, 0],
      JSON.stringify(report),
    );
    assert.ok(await system!.db('contacts').where({ phone_number: '+4915159999925' }).first());
    assert.equal(
      (await system!.db('contacts').where({ phone_number: '+4915150000004' }).first()).name,
      'Renamed In WordPress',
    );
  });

  it('back on the custom route, the users run is still shown as a users run until the next cycle', async () => {
    await stopSyncWorkflow(system, 'settings changed');
    await system?.stop();
    system = await startSystem(customRouteEnv(site), { worker: false });
    const { body } = await api().get('/contacts/sync/');
    assert.deepEqual([body.preset, body.run_preset], ['custom', 'users']);
  });
});
