import assert from 'node:assert/strict';
import type { Knex } from 'knex';
import { apiClient, testPhone, type ApiClient } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { truncateAll } from '../helpers/database';
import { eventually } from '../helpers/poll';
import { getShared, startSystem, type Shared, type TestSystem } from '../helpers/system';
import { proxiedDatabaseUrl, TcpProxy, targetOf, type ProxyTarget } from '../helpers/tcp-proxy';

/** How long a request may take to fail while a dependency is down: a client must not hang. */
const FAIL_FAST_MS = 4_000;

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await work();
  return { result, ms: Date.now() - started };
}

const inFuture = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

interface BehindProxy {
  proxy: TcpProxy;
  system: TestSystem;
  api: ApiClient;
  /** The shared database, reached without the proxy. */
  direct: Knex;
}

/** A system whose path to one dependency runs through a proxy the test can cut; healed and emptied before each test. */
function behindProxy(
  target: (shared: Shared) => ProxyTarget,
  start: (proxy: TcpProxy, shared: Shared) => Promise<TestSystem>,
): BehindProxy {
  const t = {} as BehindProxy;
  before(async () => {
    const shared = getShared();
    t.direct = shared.database.db;
    t.proxy = await new TcpProxy(target(shared)).start();
    t.system = await start(t.proxy, shared);
    t.api = apiClient(t.system.baseUrl);
  });
  after(async () => {
    await t.system?.stop();
    await t.proxy?.stop();
  });
  beforeEach(async () => {
    await t.proxy.resume();
    await truncateAll(t.direct);
  });
  return t;
}

describe('Postgres unreachable: 503, then recovery without a restart', () => {
  const t = behindProxy(
    ({ database }) => targetOf(database.url),
    (proxy, { database }) =>
      startSystem({ DATABASE_URL: proxiedDatabaseUrl(database.url, proxy) }, { worker: false, ownDatabase: true }),
  );

  it('answers 503 database_unavailable quickly, reports it on /health, and serves again once Postgres is back', async () => {
    const { body: contact } = await t.api.post('/contacts/', { name: 'before', phone_number: testPhone() });
    assert.ok(contact.id);
    await t.proxy.pause();

    for (const [method, path, body] of [
      ['GET', '/contacts/', undefined],
      ['GET', `/contacts/${contact.id}/`, undefined],
      ['POST', '/contacts/', { name: 'during', phone_number: testPhone() }],
      ['PATCH', `/contacts/${contact.id}/`, { name: 'during' }],
      ['GET', '/whatsapp/', undefined],
      ['POST', '/whatsapp/', { phone_number: testPhone(), message: 'hi' }],
    ] as const) {
      const { result, ms } = await timed(() => t.api.request(method, path, { body }));
      const error = assertError(result, 503, 'database_unavailable');
      assert.doesNotMatch(error.message, /ECONNREFUSED|127\.0\.0\.1/, 'no internals in the message');
      assert.ok(ms < FAIL_FAST_MS, `${method} ${path} took ${ms} ms to fail`);
    }

    const health = await t.api.get('/health');
    assert.equal(health.status, 200, 'liveness answers while a dependency is down');
    assert.equal(health.body.status, 'degraded');
    assert.deepEqual(
      health.body.postgres,
      { ok: false },
      'failed, without the driver error (hosts, ports) in the answer',
    );
    assert.equal(health.body.temporal.ok, true);
    assert.equal((await t.api.get('/ready')).status, 503);
    assert.deepEqual(await t.direct('contacts').pluck('name'), ['before'], 'nothing was written while down');

    await t.proxy.resume();
    const list = await eventually(
      async () => {
        const response = await t.api.get('/contacts/');
        return response.status === 200 ? response.body : undefined;
      },
      { timeoutMs: 10_000, what: 'GET /contacts/ to work again' },
    );
    assert.deepEqual(
      list.results.map((c: { id: number }) => c.id),
      [contact.id],
    );
    const created = await t.api.post('/contacts/', { name: 'after', phone_number: testPhone() });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((await t.api.get('/health')).body.status, 'ok');
  });

  it('a host that swallows connections (no refusal) is still a prompt 503', async () => {
    await t.proxy.pause('blackhole');
    for (const path of ['/contacts/', '/whatsapp/']) {
      const { result, ms } = await timed(() => t.api.get(path));
      assertError(result, 503, 'database_unavailable');
      assert.ok(ms < FAIL_FAST_MS, `GET ${path} took ${ms} ms to fail`);
    }
    assert.equal((await t.api.get('/health')).body.postgres.ok, false);
    await t.proxy.resume();
    await eventually(async () => (await t.api.get('/contacts/')).status === 200, {
      timeoutMs: 10_000,
      what: 'recovery',
    });
  });

  it('survives its pooled connections being cut again and again', async () => {
    for (let round = 0; round < 3; round++) {
      assert.equal((await t.api.get('/contacts/')).status, 200);
      await t.proxy.pause();
      assertError(await t.api.get('/contacts/'), 503, 'database_unavailable');
      await t.proxy.resume();
      await eventually(async () => (await t.api.get('/contacts/')).status === 200, {
        timeoutMs: 10_000,
        what: `recovery in round ${round}`,
      });
    }
  });
});

/** The workflow `id` once the outbox dispatcher has started it. */
const startedWorkflow = (system: TestSystem, id: string, timeoutMs = 20_000) =>
  eventually(() => system.temporal.workflow.getHandle(id).describe(), {
    timeoutMs,
    intervalMs: 250,
    what: `workflow ${id} to be started`,
  });

describe('Temporal unreachable: writes are accepted durably (the outbox) and started once it returns', () => {
  const t = behindProxy(
    ({ temporalServer }) => targetOf(temporalServer.address),
    (proxy) => startSystem({ TEMPORAL_ADDRESS: proxy.address }, { worker: false, lazyTemporal: true }),
  );

  it('POST /whatsapp/ answers 201 at once with its workflow_id; the workflow starts when Temporal is back', async () => {
    await t.proxy.pause();
    const accepted = [];
    for (const body of [
      { phone_number: testPhone(), message: 'now' },
      { phone_number: testPhone(), message: 'later', scheduled_at: inFuture(3600) },
    ]) {
      const { result, ms } = await timed(() => t.api.post('/whatsapp/', body));
      assert.equal(result.status, 201, JSON.stringify(result.body));
      assert.equal(result.body.workflow_id, `message-${result.body.id}`);
      assert.ok(ms < FAIL_FAST_MS, `POST /whatsapp/ took ${ms} ms`);
      accepted.push(result.body);
    }
    const waiting = await t.direct('workflow_outbox').orderBy('id').select('workflow_id', 'workflow_type');
    assert.deepEqual(waiting, [
      { workflow_id: accepted[0].workflow_id, workflow_type: 'sendMessageWorkflow' },
      { workflow_id: accepted[1].workflow_id, workflow_type: 'sendMessageWorkflow' },
    ]);

    const health = await t.api.get('/health');
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'degraded');
    assert.equal(health.body.temporal.ok, false);
    assert.equal(health.body.postgres.ok, true);
    assert.equal(health.body.backlog.outbox.depth, 2);
    assert.equal((await t.api.get(`/whatsapp/${accepted[1].id}/`)).status, 200, 'reads need only Postgres');

    await t.proxy.resume();
    const description = await startedWorkflow(t.system, accepted[1].workflow_id);
    assert.equal(description.status.name, 'RUNNING');
    assert.equal(description.type, 'sendMessageWorkflow');
    await eventually(async () => (await t.direct('workflow_outbox').count({ n: '*' }))[0].n === 0, {
      what: 'the outbox to drain',
    });
    assert.equal((await t.api.get('/health')).body.status, 'ok');
  });

  it('DELETE and PATCH work before the workflow exists, and the workflow honours them', async () => {
    await t.proxy.pause();
    const doomed = await t.api.post('/whatsapp/', {
      phone_number: testPhone(),
      message: 'never',
      scheduled_at: inFuture(3600),
    });
    const moved = await t.api.post('/whatsapp/', {
      phone_number: testPhone(),
      message: 'moved',
      scheduled_at: inFuture(3600),
    });
    // The dispatcher's first try fails; from then on the starts wait, untaken, until Temporal answers again.
    await eventually(
      async () => {
        const entries = await t.direct('workflow_outbox').select('attempts', 'leased_until');
        return entries.length === 2 && entries.every((e) => e.leased_until === null);
      },
      { timeoutMs: 20_000, what: 'no start in flight' },
    );
    assert.equal((await t.api.delete(`/whatsapp/${doomed.body.id}/`)).body.status, 'cancelled');
    const newTime = inFuture(7200);
    const patched = await t.api.patch(`/whatsapp/${moved.body.id}/`, { scheduled_at: newTime });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.scheduled_at, newTime);

    await t.proxy.resume();
    const description = await startedWorkflow(t.system, moved.body.workflow_id);
    const history = await t.system.temporal.workflow.getHandle(moved.body.workflow_id).fetchHistory();
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    const input = JSON.parse(Buffer.from(payload?.data ?? []).toString()) as { sendAt: string };
    assert.equal(description.status.name, 'RUNNING');
    assert.equal(input.sendAt, newTime, 'the workflow starts with the moved time');
    await eventually(async () => (await t.direct('workflow_outbox').count({ n: '*' }))[0].n === 0, {
      what: 'the outbox to drain',
    });
    await assert.rejects(
      t.system.temporal.workflow.getHandle(doomed.body.workflow_id).describe(),
      /not found/i,
      'a message cancelled before its start never gets a workflow',
    );
    assert.equal((await t.api.get(`/whatsapp/${doomed.body.id}/`)).body.status, 'cancelled');
  });

  it('an API started while Temporal is down serves contacts, accepts sends, and starts them once Temporal is up', async () => {
    await t.proxy.pause();
    const late = await startSystem({ TEMPORAL_ADDRESS: t.proxy.address }, { worker: false, lazyTemporal: true });
    try {
      const lateApi = apiClient(late.baseUrl);
      assert.equal((await lateApi.post('/contacts/', { name: 'x', phone_number: testPhone() })).status, 201);
      assert.equal((await lateApi.get('/health')).body.temporal.ok, false);
      const created = await lateApi.post('/whatsapp/', {
        phone_number: testPhone(),
        message: 'hi',
        scheduled_at: inFuture(3600),
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await t.proxy.resume();
      assert.equal((await startedWorkflow(late, created.body.workflow_id)).status.name, 'RUNNING');
    } finally {
      await late.stop();
    }
  });

  it('an Idempotency-Key retried while Temporal is down creates the message and its start once', async () => {
    const body = { phone_number: testPhone(), message: 'retry me', scheduled_at: inFuture(3600) };
    const headers = { 'idempotency-key': `retry-${Date.now()}` };
    await t.proxy.pause();
    const created = await t.api.post('/whatsapp/', body, { headers });
    assert.equal(created.status, 201);
    const replay = await t.api.post('/whatsapp/', body, { headers });
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.equal(replay.body.id, created.body.id);
    assert.equal((await t.direct('messages').count({ n: '*' }))[0].n, 1);
    assert.equal((await t.direct('workflow_outbox').count({ n: '*' }))[0].n, 1);
    await t.proxy.resume();
    await startedWorkflow(t.system, created.body.workflow_id);
  });
});
