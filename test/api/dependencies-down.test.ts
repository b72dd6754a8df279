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
function behindProxy(target: (shared: Shared) => ProxyTarget, start: (proxy: TcpProxy, shared: Shared) => Promise<TestSystem>): BehindProxy {
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
    (proxy, { database }) => startSystem({ DATABASE_URL: proxiedDatabaseUrl(database.url, proxy) }, { worker: false, ownDatabase: true }),
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
    assert.deepEqual(health.body.postgres, { ok: false }, 'failed, without the driver error (hosts, ports) in the answer');
    assert.equal(health.body.temporal.ok, true);
    assert.equal((await t.api.get('/ready')).status, 503);
    assert.deepEqual(await t.direct('contacts').pluck('name'), ['before'], 'nothing was written while down');

    await t.proxy.resume();
    const list = await eventually(async () => {
      const response = await t.api.get('/contacts/');
      return response.status === 200 ? response.body : undefined;
    }, { timeoutMs: 10_000, what: 'GET /contacts/ to work again' });
    assert.deepEqual(list.results.map((c: { id: number }) => c.id), [contact.id]);
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
    await eventually(async () => (await t.api.get('/contacts/')).status === 200, { timeoutMs: 10_000, what: 'recovery' });
  });

  it('survives its pooled connections being cut again and again', async () => {
    for (let round = 0; round < 3; round++) {
      assert.equal((await t.api.get('/contacts/')).status, 200);
      await t.proxy.pause();
      assertError(await t.api.get('/contacts/'), 503, 'database_unavailable');
      await t.proxy.resume();
      await eventually(async () => (await t.api.get('/contacts/')).status === 200, { timeoutMs: 10_000, what: `recovery in round ${round}` });
    }
  });
});

describe('Temporal unreachable: 503, no orphaned message rows, then recovery', () => {
  const t = behindProxy(
    ({ temporalServer }) => targetOf(temporalServer.address),
    (proxy) => startSystem({ TEMPORAL_ADDRESS: proxy.address }, { worker: false, lazyTemporal: true }),
  );

  it('POST /whatsapp/ is 503 temporal_unavailable and leaves no row claiming scheduled or sending', async () => {
    const before = await t.api.post('/whatsapp/', { phone_number: testPhone(), message: 'before', scheduled_at: inFuture(3600) });
    assert.equal(before.status, 201, JSON.stringify(before.body));
    await t.proxy.pause();

    for (const body of [
      { phone_number: testPhone(), message: 'now' },
      { phone_number: testPhone(), message: 'later', scheduled_at: inFuture(3600) },
    ]) {
      const { result, ms } = await timed(() => t.api.post('/whatsapp/', body));
      assertError(result, 503, 'temporal_unavailable');
      assert.ok(ms < FAIL_FAST_MS * 2, `POST /whatsapp/ took ${ms} ms to fail`);
    }
    const rows = await t.direct('messages').select('id', 'status');
    assert.deepEqual(rows, [{ id: before.body.id, status: 'scheduled' }], 'only the message whose workflow exists');

    const health = await t.api.get('/health');
    assert.equal(health.status, 200);
    assert.equal(health.body.status, 'degraded');
    assert.equal(health.body.temporal.ok, false);
    assert.equal(health.body.postgres.ok, true);
    assert.equal((await t.api.get(`/whatsapp/${before.body.id}/`)).status, 200, 'reads need only Postgres');

    await t.proxy.resume();
    const after = await eventually(async () => {
      const response = await t.api.post('/whatsapp/', { phone_number: testPhone(), message: 'after', scheduled_at: inFuture(3600) });
      return response.status === 201 ? response.body : undefined;
    }, { timeoutMs: 20_000, what: 'POST /whatsapp/ to work again' });
    const description = await t.system.temporal.workflow.getHandle(after.workflow_id).describe();
    assert.equal(description.status.name, 'RUNNING');
    assert.equal((await t.api.get('/health')).body.status, 'ok');
  });

  it('an API started while Temporal is down serves contacts, 503s sends, and sends once Temporal is up', async () => {
    await t.proxy.pause();
    const late = await startSystem({ TEMPORAL_ADDRESS: t.proxy.address }, { worker: false, lazyTemporal: true });
    try {
      const lateApi = apiClient(late.baseUrl);
      assert.equal((await lateApi.post('/contacts/', { name: 'x', phone_number: testPhone() })).status, 201);
      assert.equal((await lateApi.get('/health')).body.temporal.ok, false);
      assertError(await lateApi.post('/whatsapp/', { phone_number: testPhone(), message: 'hi', scheduled_at: inFuture(3600) }), 503, 'temporal_unavailable');
      await t.proxy.resume();
      await eventually(async () => {
        const response = await lateApi.post('/whatsapp/', { phone_number: testPhone(), message: 'hi', scheduled_at: inFuture(3600) });
        return response.status === 201;
      }, { timeoutMs: 20_000, what: 'the first send after Temporal came up' });
    } finally {
      await late.stop();
    }
  });

  it('an Idempotency-Key retried after a 503 creates the message once', async () => {
    const body = { phone_number: testPhone(), message: 'retry me', scheduled_at: inFuture(3600) };
    const headers = { 'idempotency-key': `retry-${Date.now()}` };
    await t.proxy.pause();
    assertError(await t.api.post('/whatsapp/', body, { headers }), 503, 'temporal_unavailable');
    await t.proxy.resume();
    const created = await eventually(async () => {
      const response = await t.api.post('/whatsapp/', body, { headers });
      return response.status === 201 ? response : undefined;
    }, { timeoutMs: 20_000, what: 'the retry to succeed' });
    assert.equal(created.headers.get('idempotent-replayed'), null, 'the first attempt left nothing to replay');
    const replay = await t.api.post('/whatsapp/', body, { headers });
    assert.equal(replay.body.id, created.body.id);
    assert.equal((await t.direct('messages').count({ n: '*' }))[0].n, 1);
  });
});
