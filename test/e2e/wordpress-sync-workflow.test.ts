import assert from 'node:assert/strict';
import { wordpressSyncWorkflow } from '../../workflows/wordpress-sync';
import { WORDPRESS_SYNC_WORKFLOW_ID, wordpressSyncStateQuery } from '../../workflows/wordpress-sync-definitions';
import type { FakeWordPress } from '../fakes/fake-wordpress';
import { apiClient, type ApiClient } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { truncateAll } from '../helpers/database';
import { eventually } from '../helpers/poll';
import { startSystem, type TestSystem } from '../helpers/system';
import { e164, finishedRun, lead, startWordPressSystem, stopSyncWorkflow, syncNow } from '../helpers/wordpress-sync';

describe('the wordpress-sync workflow over time', function () {
  this.timeout(120_000);
  let wp: FakeWordPress;
  let system: TestSystem;
  let api: ApiClient;

  before(async () => {
    ({ wp, system } = await startWordPressSystem(30, { WORDPRESS_PER_PAGE: '10' }));
    api = apiClient(system.baseUrl);
    await finishedRun(api);
  });

  after(async () => {
    await stopSyncWorkflow(system, 'test file done');
    await system?.stop();
    await wp?.stop();
  });

  it('a worker stopped in the middle of an import: the next worker resumes at the page it reached', async () => {
    wp.add(lead({ modifiedAt: Date.now() }));
    const before = (await api.get('/contacts/sync/')).body.run_id;
    wp.requests.length = 0;
    // Page 3 keeps failing for a while, so the worker is stopped while the import stands there.
    wp.failNext(20, { kind: 'status', status: 503, page: 3 });
    assert.equal((await api.post('/contacts/sync/')).status, 202);
    await eventually(() => wp.requests.some((r) => r.page === 3), { what: 'the import reaching page 3' });
    await system.stopWorker();
    const seenBeforeRestart = wp.requests.length;
    wp.clearFailures();
    await system.startWorker();
    const report = await finishedRun(api, before);
    assert.equal(report.status, 'succeeded', JSON.stringify(report));
    assert.equal(report.created, 1);
    const afterRestart = wp.pagesAsked().slice(seenBeforeRestart);
    assert.equal(afterRestart[0], 3, `pages read after the restart: ${afterRestart.join(',')}`);
    assert.ok(!afterRestart.includes(1), afterRestart.join(','));
  });

  it('continues as new after its cycles per run, carrying the count and answering "sync now" in the new run', async () => {
    const { temporal } = system;
    await temporal.workflow.getHandle(WORDPRESS_SYNC_WORKFLOW_ID).terminate('restart with a short run');
    const first = await temporal.workflow.start(wordpressSyncWorkflow, {
      workflowId: WORDPRESS_SYNC_WORKFLOW_ID,
      taskQueue: system.config.temporal.taskQueue,
      args: [{ syncRequested: false, cyclesPerRun: 2, intervalMs: 3_600_000 }],
    });
    await syncNow(api);
    await syncNow(api);
    await eventually(
      async () =>
        (await temporal.workflow.getHandle(WORDPRESS_SYNC_WORKFLOW_ID, first.firstExecutionRunId).describe()).status
          .name === 'CONTINUED_AS_NEW',
      { what: 'continued as new' },
    );
    const report = await syncNow(api);
    assert.equal(report.status, 'succeeded');
    const current = temporal.workflow.getHandle(WORDPRESS_SYNC_WORKFLOW_ID);
    assert.notEqual((await current.describe()).runId, first.firstExecutionRunId);
    assert.equal((await current.query(wordpressSyncStateQuery)).cycles, 3);
  });

  it('runs a cycle by itself once the interval passes, without being asked', async () => {
    const { temporal } = system;
    await temporal.workflow.getHandle(WORDPRESS_SYNC_WORKFLOW_ID).terminate('restart with a one-second interval');
    const before = (await api.get('/contacts/sync/')).body.run_id;
    const entry = lead({ modifiedAt: Date.now() });
    wp.add(entry);
    await temporal.workflow.start(wordpressSyncWorkflow, {
      workflowId: WORDPRESS_SYNC_WORKFLOW_ID,
      taskQueue: system.config.temporal.taskQueue,
      args: [{ syncRequested: false, intervalMs: 1_000 }],
    });
    const report = await finishedRun(api, before);
    assert.equal(report.created, 1, JSON.stringify(report));
    assert.ok(
      await system
        .db('contacts')
        .where({ phone_number: e164(entry) })
        .first(),
    );
  });
});

describe('WordPress contact sync when WORDPRESS_URL is not set', () => {
  let system: TestSystem;
  let api: ApiClient;

  before(async () => {
    system = await startSystem({}, { worker: false });
    api = apiClient(system.baseUrl);
    await truncateAll(system.db);
  });
  after(() => system.stop());

  it('GET /contacts/sync/ says it is not configured and POST answers 409 naming WORDPRESS_URL', async () => {
    const report = await api.get('/contacts/sync');
    assert.equal(report.status, 200);
    assert.equal(report.body.configured, false);
    assert.equal(report.body.status, 'never_run');
    const error = assertError(await api.post('/contacts/sync/'), 409, 'sync_not_configured');
    assert.match(error.message, /WORDPRESS_URL/);
  });
});
