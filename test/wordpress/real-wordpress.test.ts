import assert from 'node:assert/strict';
import { apiClient } from '../helpers/api-client';
import { truncateAll } from '../helpers/database';
import { eventually } from '../helpers/poll';
import { getShared, type TestSystem } from '../helpers/system';
import {
  contactCount,
  finishedRun,
  groupSizes,
  restartWithEnv,
  stopSyncWorkflow,
  syncNow,
} from '../helpers/wordpress-sync';
import { docsCustomRouteEnv, docsMustUsePlugins, wordpressDocsPath } from './docs-blocks';
import { ensureWordPressPackages, mariadbReachable } from './packages';
import { deleteLead, editLead, insertLeads, insertUsers, landingPageLeads, updateUser } from './seed';
import { WordPressSite } from './wordpress-site';

// Slows the lead route a little (the tier's own plugin, not the docs'), so "WordPress stops
// mid-sync" has pages left to stop in even on a fast machine.
const SLOW_ROUTE = `<?php
if (str_contains($_SERVER['REQUEST_URI'] ?? '', '/leads/v1/')) usleep(60000);
`;

describe("a real WordPress (Debian's package, MariaDB, php -S) as the lead source", function () {
  this.timeout(180_000);
  let site: WordPressSite | undefined;
  let passwords: Record<string, string>;
  let leadIds: number[];
  let system: TestSystem | undefined;
  const api = () => apiClient((system as TestSystem).baseUrl);
  const wp = () => site as WordPressSite;
  const lastRunId = async () => (await api().get('/contacts/sync/')).body.run_id ?? 0;
  const redeploy = async (env: Record<string, string>) => {
    const before = system ? await lastRunId() : 0;
    system = await restartWithEnv(system, {
      WORDPRESS_URL: wp().url,
      WORDPRESS_SYNC_INTERVAL: '1h',
      DEFAULT_PHONE_REGION: 'DE',
      ...env,
    });
    return finishedRun(api(), before);
  };
  // The docs' env example as pasted, pointed at this site and logged in as the Editor.
  const customRoute = () => {
    const { WORDPRESS_CONTACTS_PATH, WORDPRESS_FIELD_NAME, WORDPRESS_FIELD_PHONE, WORDPRESS_FIELD_EMAIL } =
      docsCustomRouteEnv();
    return {
      WORDPRESS_CONTACTS_PATH,
      WORDPRESS_FIELD_NAME,
      WORDPRESS_FIELD_PHONE,
      WORDPRESS_FIELD_EMAIL,
      WORDPRESS_USERNAME: 'wa-sync',
      WORDPRESS_APP_PASSWORD: passwords['wa-sync'],
      WORDPRESS_PER_PAGE: '10',
    };
  };
  const users = (login: string) => ({
    WORDPRESS_PRESET: 'users',
    WORDPRESS_USERNAME: login,
    WORDPRESS_APP_PASSWORD: passwords[login],
  });

  before(async function () {
    if (!(await mariadbReachable())) {
      if (process.env.WORDPRESS_TIER_REQUIRED)
        throw new Error(
          'MariaDB is not reachable on 127.0.0.1:3306 (root, empty password) and WORDPRESS_TIER_REQUIRED is set',
        );
      console.log(
        'SKIPPED: the real-WordPress tier needs MariaDB on 127.0.0.1:3306 (root, empty password); none answers here',
      );
      this.skip();
    }
    ensureWordPressPackages();
    site = new WordPressSite();
    await site.create();
    passwords = site.install([
      { login: 'admin', role: 'administrator' },
      { login: 'wa-sync', role: 'editor' },
    ]);
    const plugins = docsMustUsePlugins();
    assert.deepEqual(
      [...plugins.keys()].sort(),
      ['wa-leads.php', 'wa-user-phone.php'],
      `must-use plugins in ${wordpressDocsPath()}`,
    );
    for (const [name, code] of plugins) site.addMustUsePlugin(name, code);
    site.addMustUsePlugin('zz-test-slow-route.php', SLOW_ROUTE);
    leadIds = insertLeads(site, landingPageLeads());
    await site.serve();
    await truncateAll(getShared().database.db);
  });

  after(async () => {
    await stopSyncWorkflow(system, 'test file done');
    await system?.stop();
    await site?.destroy();
  });

  it("the docs' custom route and env example, pasted: 300 of 308 leads imported, the 8 others explained, an Editor is enough", async () => {
    const report = await redeploy(customRoute());
    assert.equal(report.status, 'succeeded', JSON.stringify(report));
    assert.deepEqual([report.fetched, report.created, report.skipped], [308, 300, 8], JSON.stringify(report));
    assert.deepEqual(report.skipped_reasons, { missing_phone: 3, invalid_phone: 3, duplicate_phone: 2 });
    assert.deepEqual(await groupSizes(system!.db), [250, 50]);
    const parenthesised = await system!.db('contacts').where({ phone_number: '+4915130000002' }).first();
    assert.deepEqual(
      [parenthesised.name, parenthesised.email, parenthesised.external_id],
      ['Lead 2', 'lead2@example.com', String(leadIds[1])],
    );
  });

  it('an edit in wp-admin reaches the contact, a new lead is created, a deleted one leaves its contact alone', async () => {
    const contact = await system!.db('contacts').where({ phone_number: '+4915130000005' }).first();
    // WordPress stores modification times to the second: edit in a later second than the import.
    await eventually(() => Math.floor(Date.now() / 1000) > Math.floor(contact.updated_at.getTime() / 1000), {
      what: 'the next second',
    });
    editLead(wp(), leadIds[4], { first_name: 'Edited' });
    const [added] = insertLeads(wp(), [
      { first_name: 'New', last_name: 'Lead', phone: '+49 151 39999991', email: 'new@example.com' },
    ]);
    deleteLead(wp(), leadIds[9]);
    const report = await syncNow(api());
    assert.deepEqual(
      [report.status, report.fetched, report.created, report.updated],
      ['succeeded', 308, 1, 1],
      JSON.stringify(report),
    );
    assert.equal((await system!.db('contacts').where({ id: contact.id }).first()).name, 'Edited 5');
    assert.equal(
      (await system!.db('contacts').where({ phone_number: '+4915139999991' }).first()).external_id,
      String(added),
    );
    assert.ok(
      await system!.db('contacts').where({ phone_number: '+4915130000010' }).first(),
      "the deleted lead's contact stays",
    );
  });

  it('WordPress stopped mid-sync: the run shows the error and the next retry, then resumes at the page it reached', async () => {
    insertLeads(wp(), [
      { first_name: 'During', last_name: 'Outage', phone: '+49 151 39999992', email: 'outage@example.com' },
    ]);
    const path = docsCustomRouteEnv().WORDPRESS_CONTACTS_PATH;
    wp().log = [];
    const accepted = await api().post('/contacts/sync/', { full: true });
    assert.equal(accepted.status, 202);
    await eventually(
      () =>
        wp()
          .pagesServed(path)
          .some((page) => page >= 4),
      { what: 'the import reaching page 4', intervalMs: 20 },
    );
    await wp().stop();
    const down = await eventually(
      async () => {
        const { body } = await api().get('/contacts/sync/');
        return body.run_id === accepted.body.run_id && body.next_retry_at ? body : undefined;
      },
      { what: 'the report showing WordPress down', timeoutMs: 30_000 },
    );
    assert.equal(down.status, 'running');
    assert.match(down.error, /WordPress unreachable/);
    const stoppedAt = Math.max(...wp().pagesServed(path));

    await wp().serve();
    const report = await finishedRun(api(), accepted.body.run_id - 1);
    assert.deepEqual(
      [report.status, report.created, report.error, report.next_retry_at],
      ['succeeded', 1, null, null],
      JSON.stringify(report),
    );
    const afterRestart = wp().pagesServed(path);
    assert.ok(
      afterRestart[0] >= stoppedAt - 1 && !afterRestart.includes(1),
      `pages after the restart: ${afterRestart.join(',')} (stopped at ${stoppedAt})`,
    );
  });

  it("users preset as an Administrator: its own cursor, phones from the docs' register_meta, edits seen without a modification time", async () => {
    const ids = insertUsers(wp(), [
      ...Array.from({ length: 20 }, (_, i) => ({
        login: `signup${i + 1}`,
        name: `Signup ${i + 1}`,
        phone: i % 2 ? `+49 160 ${50_000_000 + i + 1}` : `(0160) ${5000} ${String(i + 1).padStart(4, '0')}`,
      })),
      { login: 'nophone', name: 'No Phone' },
    ]);
    const first = await redeploy(users('admin'));
    // admin, wa-sync and nophone have no phone.
    assert.deepEqual(
      [first.status, first.run_preset, first.created, first.skipped_reasons],
      ['succeeded', 'users', 20, { missing_phone: 3 }],
      JSON.stringify(first),
    );

    updateUser(wp(), ids[20], { phone: '+49 160 59999999' });
    updateUser(wp(), ids[3], { name: 'Renamed Signup' });
    const second = await syncNow(api());
    assert.deepEqual([second.created, second.updated, second.unchanged], [1, 1, 21], JSON.stringify(second));
    assert.equal(
      (await system!.db('contacts').where({ phone_number: '+4916050000004' }).first()).name,
      'Renamed Signup',
    );
  });

  it('the users preset as an Editor fails clearly: listing users with context=edit needs an Administrator', async () => {
    const report = await redeploy(users('wa-sync'));
    assert.equal(report.status, 'failed');
    assert.match(report.error, /403.*rest_forbidden_context/);
  });

  it('a wrong Application Password and an HTML page instead of the route fail the cycle with a message saying what to fix', async () => {
    const wrong = await redeploy({ ...customRoute(), WORDPRESS_APP_PASSWORD: 'abcd EFGH 1234 ijkl MNOP 5678' });
    assert.equal(wrong.status, 'failed');
    assert.match(wrong.error, /401.*WORDPRESS_APP_PASSWORD.*Authorization/s);

    const html = await redeploy({ ...customRoute(), WORDPRESS_CONTACTS_PATH: '/sample-page/' });
    assert.equal(html.status, 'failed');
    assert.match(html.error, /something other than JSON \(HTTP 200.*WORDPRESS_CONTACTS_PATH/);

    // Without /wp-json/ WordPress does not answer 404: it redirects to a post it guesses and serves its HTML.
    const noPrefix = await redeploy({ ...customRoute(), WORDPRESS_CONTACTS_PATH: '/leads/v1/entries' });
    assert.equal(noPrefix.status, 'failed');
    assert.match(
      noPrefix.error,
      /something other than JSON \(HTTP 200, redirected to .*\).*start with \/wp-json\/.*WORDPRESS_CONTACTS_PATH/,
    );
    assert.equal(await contactCount(system!.db), 323);
  });
});
