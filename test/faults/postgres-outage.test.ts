import assert from 'node:assert/strict';
import { inboundText } from '../fakes/webhook-bodies';
import { apiClient, testPhone } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { startWorkerProcess, type EntryProcess } from '../helpers/child-process';
import { truncateAll } from '../helpers/database';
import { eventually } from '../helpers/poll';
import { getShared, startSystem, type TestSystem } from '../helpers/system';
import { proxiedDatabaseUrl, TcpProxy, targetOf } from '../helpers/tcp-proxy';
import { postWebhook } from '../helpers/webhooks';

const ACCEPTED = 20;
const DUE_IN_MS = 4_000;

/** The highest attempt of any pending activity of these workflows: > 1 means Temporal is retrying it. */
async function highestAttempt(system: TestSystem, workflowIds: string[]): Promise<number> {
  const descriptions = await Promise.all(workflowIds.map((id) => system.temporal.workflow.getHandle(id).describe()));
  return Math.max(0, ...descriptions.flatMap((d) => (d.raw.pendingActivities ?? []).map((a) => a.attempt ?? 0)));
}

describe('fault: Postgres becomes unreachable for the API and the worker, then returns', () => {
  let proxy: TcpProxy;
  let system: TestSystem;
  let worker: EntryProcess | undefined;

  before(async function () {
    this.timeout(120_000);
    const { database } = getShared();
    proxy = await new TcpProxy(targetOf(database.url)).start();
    system = await startSystem(
      { DATABASE_URL: proxiedDatabaseUrl(database.url, proxy) },
      { worker: false, ownDatabase: true },
    );
    await truncateAll(database.db);
    // The worker process reaches Postgres through the same proxy, so it loses it too.
    worker = await startWorkerProcess(system.config);
  });
  after(async () => {
    await worker?.stop();
    await system?.stop();
    await proxy?.stop();
  });

  it('503 in the error shape while down, activities retry, and every accepted message is sent after recovery', async function () {
    this.timeout(180_000);
    const api = apiClient(system.baseUrl);
    const direct = getShared().database.db;
    const dueAt = new Date(Date.now() + DUE_IN_MS).toISOString();
    const accepted: { phone: string; workflowId: string }[] = [];
    for (let i = 0; i < ACCEPTED; i++) {
      const phone = testPhone();
      const created = await api.post('/whatsapp/', {
        phone_number: phone,
        message: 'Survives a database outage',
        scheduled_at: dueAt,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      accepted.push({ phone, workflowId: created.body.workflow_id });
    }

    // Every workflow started (the outbox drained) before the outage: this test is about activities retrying.
    await eventually(async () => (await direct('workflow_outbox').count({ n: '*' }))[0].n === 0, {
      what: 'every workflow to be started',
    });
    await proxy.pause();
    const downAt = Date.now();
    const refused = testPhone();
    for (const [method, path, body] of [
      ['POST', '/whatsapp/', { phone_number: refused, message: 'refused' }],
      ['GET', '/whatsapp/', undefined],
      ['POST', '/contacts/', { name: 'x', phone_number: testPhone() }],
      ['GET', '/groups/', undefined],
    ] as const) {
      assertError(await api.request(method, path, { body }), 503, 'database_unavailable');
    }
    assert.equal((await api.get('/ready')).status, 503);
    // The webhook answers on a Postgres commit: with none possible, 503, and 360Dialog retries it later.
    const { body: webhook, wamid } = inboundText('hello', { from: testPhone() });
    assertError(await postWebhook(api, webhook), 503, 'database_unavailable');

    // Due while down: the claim activities fail and Temporal retries them.
    const workflowIds = accepted.map((a) => a.workflowId);
    const attempts = await eventually(
      async () => {
        const highest = await highestAttempt(system, workflowIds);
        return highest >= 2 ? highest : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'an activity to be retried while Postgres is down' },
    );
    // Only sends count: the templates sync may read 360Dialog's template list while Postgres is down.
    const sends = system.fake.requests.filter((r) => r.path === '/messages');
    assert.equal(sends.length, 0, 'nothing is sent without its claim in Postgres');
    assert.ok(worker?.running, `the worker survived the outage:\n${worker?.output()}`);

    await proxy.resume();
    const upAt = Date.now();
    const received = () => system.fake.requests.filter((r) => r.path === '/messages').map((r) => r.body.to as string);
    await eventually(() => new Set(received()).size === ACCEPTED, {
      timeoutMs: 90_000,
      intervalMs: 250,
      what: `all ${ACCEPTED} accepted messages at the fake`,
    });
    await eventually(
      async () => {
        const rows = await direct('messages')
          .whereIn(
            'phone_number',
            accepted.map((a) => a.phone),
          )
          .select('status');
        return rows.length === ACCEPTED && rows.every((row) => row.status === 'sent');
      },
      { timeoutMs: 30_000, what: 'every accepted row sent' },
    );
    const all = received();
    console.log(
      `      [postgres outage] down ${upAt - downAt} ms, activity attempts seen ${attempts}; all ${ACCEPTED} sent ${Date.now() - upAt} ms after recovery`,
    );
    assert.deepEqual(
      [...all].sort(),
      accepted.map((a) => a.phone).sort(),
      'each accepted message exactly once, the refused one never',
    );
    assert.equal(await direct('messages').where({ phone_number: refused }).first(), undefined);
    assert.equal(
      (await direct('workflow_outbox').count({ n: '*' }))[0].n,
      0,
      'no start left behind, none for the refused message',
    );
    assert.equal(
      await direct('webhook_inbox').where({ wamid }).first(),
      undefined,
      'the refused webhook stored nothing',
    );
  });
});
