import assert from 'node:assert/strict';
import { WORDPRESS_SYNC_WORKFLOW_ID } from '../../workflows/wordpress-sync-definitions';
import type { FakeWordPress } from '../fakes/fake-wordpress';
import { apiClient, type ApiClient } from '../helpers/api-client';
import type { TestSystem } from '../helpers/system';
import {
  contactCount,
  e164,
  finishedRun,
  groupSizes,
  lead,
  leads,
  startWordPressSystem,
  stopSyncWorkflow,
  syncNow,
  wpTime,
} from '../helpers/wordpress-sync';

// One WordPress site, one long-lived sync: each test builds on what the previous ones synced.
describe('WordPress contact sync', function () {
  this.timeout(180_000);
  let wp: FakeWordPress;
  let system: TestSystem;
  let api: ApiClient;

  before(async () => {
    ({ wp, system } = await startWordPressSystem(600));
    api = apiClient(system.baseUrl);
  });

  after(async () => {
    await stopSyncWorkflow(system, 'test file done');
    await system?.stop();
    await wp?.stop();
  });

  it('the worker starts the sync workflow, whose first cycle turns 600 leads into 600 contacts in groups of 250/250/100', async () => {
    const report = await finishedRun(api);
    assert.equal(report.status, 'succeeded', JSON.stringify(report));
    assert.equal(report.configured, true);
    assert.equal(report.interval_seconds, 3600);
    assert.deepEqual([report.fetched, report.created, report.updated, report.skipped], [600, 600, 0, 0]);
    assert.ok(Date.parse(report.finished_at) >= Date.parse(report.started_at));
    assert.equal(report.error, null);

    assert.equal(await contactCount(system.db), 600);
    assert.deepEqual(await groupSizes(system.db), [250, 250, 100]);
    const first = await system.db('contacts').where({ phone_number: '+4915130000001' }).first();
    assert.deepEqual(
      [first.name, first.email, first.source, first.external_id],
      ['Lead 1', 'lead1@example.com', 'wordpress', '1'],
    );

    const description = await system.temporal.workflow.getHandle(WORDPRESS_SYNC_WORKFLOW_ID).describe();
    assert.equal(description.status.name, 'RUNNING');
    assert.equal(description.type, 'wordpressSyncWorkflow');
    // Paged with core conventions, authenticated, and named.
    assert.ok(
      wp.requests.every(
        (r) => r.headers.authorization?.startsWith('Basic ') && /wa-automation/.test(String(r.headers['user-agent'])),
      ),
    );
    assert.deepEqual(wp.pagesAsked(), [1, 2, 3, 4, 5, 6]);
  });

  it('a second sync adds only the new leads', async () => {
    wp.add(...leads(20));
    const report = await syncNow(api);
    assert.equal(report.status, 'succeeded', JSON.stringify(report));
    assert.deepEqual(
      [report.fetched, report.created, report.updated, report.unchanged, report.skipped],
      [620, 20, 0, 600, 0],
    );
    assert.equal(await contactCount(system.db), 620);
    assert.deepEqual(await groupSizes(system.db), [250, 250, 120]);
  });

  it('skips and reports invalid or missing phones and a second entry with the same phone', async () => {
    const fresh = lead();
    const again = lead({ phone: (fresh.fields as { phone: string }).phone.replace(/\s/g, '-'), first: 'Second' });
    const invalid = [lead({ phone: '12345' }), lead({ phone: 'call me' }), lead({ phone: '' })];
    wp.add(fresh, again, ...invalid);
    const report = await syncNow(api);
    assert.equal(report.status, 'succeeded', JSON.stringify(report));
    assert.equal(report.created, 1);
    assert.equal(report.skipped, 4);
    assert.deepEqual(report.skipped_reasons, { duplicate_phone: 1, invalid_phone: 2, missing_phone: 1 });
    // The route lists newest first, so the later entry is the one kept; either way one contact, one duplicate.
    const reasons = Object.fromEntries(
      report.skipped_entries.map((e: { entry_id: string; reason: string }) => [e.entry_id, e.reason]),
    );
    assert.deepEqual(reasons, {
      [String(fresh.id)]: 'duplicate_phone',
      [String(invalid[0].id)]: 'invalid_phone',
      [String(invalid[1].id)]: 'invalid_phone',
      [String(invalid[2].id)]: 'missing_phone',
    });
    const contact = await system
      .db('contacts')
      .where({ phone_number: e164(fresh) })
      .first();
    assert.equal(contact.name, `Second ${again.id}`);
    assert.equal(await contactCount(system.db), 621);
  });

  it('an edit made through the API is not overwritten by an older WordPress entry, but a newer one applies', async () => {
    const entry = wp.entries[6];
    const contact = await system
      .db('contacts')
      .where({ phone_number: e164(entry) })
      .first();
    const edited = await api.patch(`/contacts/${contact.id}/`, { name: 'Edited In API' });
    assert.equal(edited.status, 200);
    const editedAt = Date.parse(edited.body.updated_at);

    Object.assign(entry, {
      modified_gmt: wpTime(editedAt - 30_000),
      fields: { ...(entry.fields as object), first_name: 'Older' },
    });
    const kept = await syncNow(api);
    assert.equal(kept.updated, 0, JSON.stringify(kept));
    assert.equal(kept.skipped_reasons.older_than_contact, 1, JSON.stringify(kept));
    assert.equal((await api.get(`/contacts/${contact.id}/`)).body.name, 'Edited In API');

    Object.assign(entry, {
      modified_gmt: wpTime(editedAt + 2_000),
      fields: { ...(entry.fields as object), first_name: 'Newer' },
    });
    const applied = await syncNow(api);
    assert.equal(applied.updated, 1, JSON.stringify(applied));
    assert.equal((await api.get(`/contacts/${contact.id}/`)).body.name, `Newer ${entry.id}`);
  });

  it('retries 429, 500 and a request that hangs, and completes the cycle', async () => {
    wp.add(lead({ modifiedAt: Date.now() }));
    wp.requests.length = 0;
    wp.failNext(1, { kind: 'status', status: 429, retryAfter: '0' });
    wp.failNext(1, { kind: 'status', status: 500 });
    wp.failNext(1, { kind: 'hang', ms: 3_000 });
    const report = await syncNow(api);
    assert.equal(report.status, 'succeeded', JSON.stringify(report));
    assert.equal(report.created, 1);
    assert.deepEqual(wp.pagesAsked().slice(0, 4), [1, 1, 1, 1]);
  });

  it('a longer outage mid-import is retried by Temporal and resumes from the heartbeated page, not page 1', async () => {
    wp.add(lead({ modifiedAt: Date.now() }));
    wp.requests.length = 0;
    wp.failNext(6, { kind: 'status', status: 503, page: 4 });
    const report = await syncNow(api);
    assert.equal(report.status, 'succeeded', JSON.stringify(report));
    assert.equal(report.created, 1);
    const pages = wp.pagesAsked();
    const lastFailure = pages.lastIndexOf(4) - 1;
    assert.ok(pages.indexOf(1, 1) === -1, `page 1 was read again: ${pages.join(',')}`);
    assert.ok(lastFailure > 0, pages.join(','));
  });

  it('a rejected password fails the cycle with a message naming the Apache Authorization-header fix; the next cycle recovers', async () => {
    const password = wp.password;
    wp.password = 'rotated elsewhere';
    const failed = await syncNow(api);
    assert.equal(failed.status, 'failed');
    assert.match(failed.error, /WORDPRESS_APP_PASSWORD/);
    assert.match(failed.error, /Authorization header/);
    wp.password = password;
    const recovered = await syncNow(api);
    assert.equal(recovered.status, 'succeeded', JSON.stringify(recovered));
  });

  it('a lead deleted in WordPress leaves its contact alone', async () => {
    const [removed] = wp.entries.splice(10, 1);
    const report = await syncNow(api);
    assert.equal(report.status, 'succeeded', JSON.stringify(report));
    assert.ok(
      await system
        .db('contacts')
        .where({ phone_number: e164(removed) })
        .first(),
    );
  });
});
