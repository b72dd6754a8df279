import assert from 'node:assert/strict';
import pino from 'pino';
import type { FakeWordPress } from '../fakes/fake-wordpress';
import { apiClient, type ApiClient } from '../helpers/api-client';
import { eventually } from '../helpers/poll';
import type { TestSystem } from '../helpers/system';
import { startBackground, type Background } from '../../src/runtime/background';
import { e164, finishedRun, lead, startWordPressSystem, stopSyncWorkflow, syncNow } from '../helpers/wordpress-sync';

describe('WordPress sync: start-up cycles, duplicates and what the report shows while WordPress is down', function () {
  this.timeout(180_000);
  let wp: FakeWordPress;
  let system: TestSystem;
  let api: ApiClient;
  let laterBackground: Background | undefined;

  before(async () => {
    ({ wp, system } = await startWordPressSystem(20));
    api = apiClient(system.baseUrl);
    await finishedRun(api);
  });

  after(async () => {
    await laterBackground?.stop();
    await stopSyncWorkflow(system, 'test file done');
    await system?.stop();
    await wp?.stop();
  });

  it('a worker that starts while the sync workflow sleeps runs a cycle at once, not an interval (1 h) later', async () => {
    await eventually(async () => (await api.get('/contacts/sync/')).body.status === 'succeeded', {
      what: 'the first cycle',
    });
    const before = (await api.get('/contacts/sync/')).body.run_id;
    await system.stopWorker();
    const entry = lead({ modifiedAt: Date.now() });
    wp.add(entry);
    await system.startWorker();
    const report = await eventually(
      async () => {
        const { body } = await api.get('/contacts/sync/');
        return body.run_id > before && body.status === 'succeeded' ? body : undefined;
      },
      { what: 'a cycle after the worker started', timeoutMs: 30_000 },
    );
    assert.equal(report.created, 1, JSON.stringify(report));
  });

  it('a second WordPress entry with a number imported in an earlier cycle is a duplicate_phone, not older_than_contact', async () => {
    const original = wp.entries[0];
    // Submitted a minute ago, so after the cursor, but before the contact was created from the first entry.
    const again = lead({
      phone: (original.fields as { phone: string }).phone,
      first: 'Again',
      modifiedAt: Date.now() - 60_000,
    });
    wp.add(again);
    const report = await syncNow(api);
    assert.deepEqual(report.skipped_reasons, { duplicate_phone: 1 }, JSON.stringify(report));
    assert.deepEqual(report.skipped_entries, [
      { entry_id: String(again.id), reason: 'duplicate_phone', value: e164(original) },
    ]);
  });

  it('POST /contacts/sync/ answers 202 with the run it started, not the previous one', async () => {
    const previous = (await api.get('/contacts/sync/')).body.run_id;
    const accepted = await api.post('/contacts/sync/');
    assert.equal(accepted.status, 202);
    assert.ok(accepted.body.run_id > previous, `run ${accepted.body.run_id} after ${previous}`);
    assert.ok(['running', 'succeeded'].includes(accepted.body.status), accepted.body.status);
    await finishedRun(api, previous);
  });

  it("while WordPress is down the run shows the last attempt's error and the next retry, then recovers", async () => {
    wp.failNext(1_000, { kind: 'status', status: 503 });
    const accepted = await api.post('/contacts/sync/');
    assert.equal(accepted.status, 202);
    const retrying = await eventually(
      async () => {
        const { body } = await api.get('/contacts/sync/');
        return body.run_id === accepted.body.run_id && body.error ? body : undefined;
      },
      { what: 'the report showing the failed attempt', timeoutMs: 30_000 },
    );
    assert.equal(retrying.status, 'running');
    assert.match(retrying.error, /HTTP 503/);
    assert.ok(Date.parse(retrying.next_retry_at) > Date.parse(retrying.started_at), JSON.stringify(retrying));

    wp.clearFailures();
    const done = await finishedRun(api, accepted.body.run_id - 1);
    assert.deepEqual([done.status, done.error, done.next_retry_at], ['succeeded', null, null], JSON.stringify(done));
  });

  it('a sync request answered while nothing can start workflows is kept in Postgres and runs, with its body, once it can', async () => {
    // This API's outbox dispatcher stops: as when Temporal is unreachable, nothing hands the request over.
    await system.background.stop();
    const previous = (await api.get('/contacts/sync/')).body.run_id;
    const deleted = await system
      .db('contacts')
      .where({ phone_number: e164(wp.entries[1]) })
      .delete();
    assert.equal(deleted, 1);

    const accepted = await api.post('/contacts/sync/', { full: true });
    assert.equal(accepted.status, 202);
    assert.equal(accepted.body.run_id, previous, 'no new run while the request waits');
    const [entry] = await system.db('workflow_outbox').where('workflow_id', 'like', 'wordpress-sync#%');
    assert.ok(entry, 'the request waits in the outbox');
    assert.deepEqual([entry.start.signal, entry.start.signalArgs], ['syncNow', [{ full: true }]]);

    laterBackground = startBackground({
      config: system.config,
      db: system.db,
      temporal: system.temporal,
      logger: pino({ level: 'silent' }),
    });
    const report = await finishedRun(api, previous);
    // A full pass (the cursor would have skipped the entry whose contact was deleted).
    assert.deepEqual([report.status, report.created], ['succeeded', 1], JSON.stringify(report));
    assert.equal(
      await system.db('workflow_outbox').where('workflow_id', 'like', 'wordpress-sync#%').first(),
      undefined,
    );
  });
});
