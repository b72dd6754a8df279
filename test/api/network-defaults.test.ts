import assert from 'node:assert/strict';
import { request } from 'node:http';
import { apiClient, testPhone, type ApiClient } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { truncateAll } from '../helpers/database';
import { rawRequest } from '../helpers/raw-request';
import { startSystem, type TestSystem } from '../helpers/system';

const get = (system: TestSystem, path: string, headers: Record<string, string> = {}) =>
  rawRequest(system.baseUrl, { method: 'GET', path, headers });
const preflight = (
  system: TestSystem,
  path: string,
  origin: string,
  method = 'POST',
  requestHeaders = 'content-type,idempotency-key,authorization',
) =>
  rawRequest(system.baseUrl, {
    method: 'OPTIONS',
    path,
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': requestHeaders },
  });

describe('CORS from the API alone (start:api) and with CORS_ORIGINS', () => {
  const systems: TestSystem[] = [];
  const start = async (env: Record<string, string>) => {
    const system = await startSystem(env, { worker: false });
    systems.push(system);
    return system;
  };
  after(() => Promise.all(systems.map((system) => system.stop())));

  it('allows no origin until CORS_ORIGINS is set', async () => {
    const system = await start({});
    const answer = await get(system, '/contacts/', { origin: 'http://localhost:5173' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
    assert.equal(
      (await preflight(system, '/contacts/', 'http://localhost:5173')).headers.get('access-control-allow-origin'),
      null,
    );
  });

  it('answers a preflight 204 before the API key, and puts CORS headers on answers and errors for listed origins only', async () => {
    const system = await start({ API_KEY: 'k', CORS_ORIGINS: 'https://app.example.com,http://localhost:*' });
    for (const origin of ['https://app.example.com', 'http://localhost:5173']) {
      const answer = await preflight(system, '/whatsapp/', origin);
      assert.equal(answer.status, 204, JSON.stringify(answer.body));
      assert.equal(answer.headers.get('access-control-allow-origin'), origin);
      const allowed = (answer.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(',');
      for (const header of ['content-type', 'authorization', 'idempotency-key'])
        assert.ok(allowed.includes(header), `${header} in ${allowed}`);
      assert.match(answer.headers.get('access-control-allow-methods') ?? '', /DELETE/);
    }
    const ok = await get(system, '/contacts/', { origin: 'https://app.example.com', authorization: 'Bearer k' });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example.com');
    assert.match(ok.headers.get('access-control-expose-headers') ?? '', /Idempotent-Replayed/);
    const denied = await get(system, '/contacts/', { origin: 'https://app.example.com' });
    assertError(denied, 401, 'unauthorized');
    assert.equal(
      denied.headers.get('access-control-allow-origin'),
      'https://app.example.com',
      'the page can read why it failed',
    );

    const stranger = await preflight(system, '/whatsapp/', 'https://evil.example');
    assert.notEqual(stranger.status, 204);
    assert.equal(stranger.headers.get('access-control-allow-origin'), null);
    assert.equal(
      (await get(system, '/contacts/', { origin: 'https://evil.example', authorization: 'Bearer k' })).headers.get(
        'access-control-allow-origin',
      ),
      null,
    );
  });
});

describe('loopback by default: the DNS-rebinding guard, TRUST_PROXY, /health and /metrics', () => {
  let system: TestSystem;
  let api: ApiClient;
  const others: TestSystem[] = [];
  before(async () => {
    system = await startSystem({}, { worker: false });
    api = apiClient(system.baseUrl);
    await truncateAll(system.db);
  });
  after(async () => {
    await Promise.all(others.map((other) => other.stop()));
    await system.stop();
  });

  it('without API_KEY on loopback, answers only requests addressed to a loopback name', async () => {
    for (const host of ['127.0.0.1', 'localhost:8000', 'LOCALHOST', '[::1]:8000', '127.0.0.1:1'])
      assert.equal((await get(system, '/contacts/', { host })).status, 200, host);
    for (const host of ['evil.example', 'evil.example:8000', '127.0.0.1.nip.io', 'localhost.evil.example']) {
      const refused = await get(system, '/contacts/', { host });
      assertError(refused, 403, 'host_not_allowed');
      assert.equal(
        (
          await rawRequest(system.baseUrl, {
            path: '/contacts/',
            headers: { host, 'content-type': 'application/json' },
            chunks: [JSON.stringify({ name: 'x', phone_number: testPhone() })],
          })
        ).status,
        403,
      );
    }
    assert.equal((await api.get('/contacts/')).body.count, 0, 'nothing was created through a foreign Host');
  });

  it('with API_KEY, or listening beyond loopback, the Host is not restricted', async () => {
    const keyed = await startSystem({ API_KEY: 'k' }, { worker: false });
    const open = await startSystem({ HOST: '0.0.0.0' }, { worker: false });
    others.push(keyed, open);
    assert.equal((await get(keyed, '/contacts/', { host: 'api.example.com', authorization: 'Bearer k' })).status, 200);
    assertError(await get(keyed, '/contacts/', { host: 'api.example.com' }), 401, 'unauthorized');
    assert.equal((await get(open, '/contacts/', { host: 'api.example.com' })).status, 200);
  });

  it('believes X-Forwarded-* only with TRUST_PROXY=true (paging links)', async () => {
    for (const name of ['a', 'b'])
      assert.equal((await api.post('/contacts/', { name, phone_number: testPhone() })).status, 201);
    const forwarded = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' };
    const page = await get(system, '/contacts/?page_size=1', forwarded);
    assert.equal(new URL(page.body.next).origin, system.baseUrl);
    const proxied = await startSystem({ TRUST_PROXY: 'true' }, { worker: false });
    others.push(proxied);
    assert.equal(
      new URL((await get(proxied, '/contacts/?page_size=1', forwarded)).body.next).origin,
      'https://evil.example',
    );
  });

  it('/health says ok per dependency, with no error text', async () => {
    const health = await api.get('/health');
    const { status, postgres, temporal, backlog } = health.body;
    assert.deepEqual({ status, postgres, temporal }, { status: 'ok', postgres: { ok: true }, temporal: { ok: true } });
    assert.equal(backlog.ok, true);
    assert.doesNotMatch(JSON.stringify(health.body), /error|ECONN|refused/i);
  });

  it('/metrics needs API_KEY or METRICS_TOKEN when set, and a flood of scrapes counts messages once', async () => {
    const guarded = await startSystem({ API_KEY: 'k', METRICS_TOKEN: 'scrape-me' }, { worker: false });
    others.push(guarded);
    const guardedApi = apiClient(guarded.baseUrl);
    assertError(await guardedApi.get('/metrics'), 401, 'unauthorized');
    assertError(await guardedApi.get('/Metrics/'), 401, 'unauthorized');
    assertError(await guardedApi.get('/metrics', { headers: { authorization: 'Bearer wrong' } }), 401, 'unauthorized');
    assert.equal((await guardedApi.get('/metrics', { headers: { authorization: 'Bearer scrape-me' } })).status, 200);
    assert.equal((await guardedApi.get('/metrics', { headers: { authorization: 'Bearer k' } })).status, 200);
    assertError(
      await guardedApi.get('/contacts/', { headers: { authorization: 'Bearer scrape-me' } }),
      401,
      'unauthorized',
    );

    let groupBys = 0;
    const count = (query: { sql: string }) => void (/group by/i.test(query.sql) && groupBys++);
    system.db.on('query', count);
    try {
      for (let scrape = 0; scrape < 10; scrape++) assert.equal((await api.get('/metrics')).status, 200);
    } finally {
      system.db.off('query', count);
    }
    assert.ok(groupBys <= 1, `${groupBys} GROUP BY queries for 10 scrapes`);
  });

  it('the OpenAPI document declares the bearer scheme globally and the webhook its own header', async () => {
    const doc = (await api.get('/openapi.json')).body;
    assert.deepEqual(doc.components.securitySchemes.bearer, {
      type: 'http',
      scheme: 'bearer',
      description: doc.components.securitySchemes.bearer.description,
    });
    assert.deepEqual(doc.security, [{ bearer: [] }]);
    assert.equal(doc.components.securitySchemes.webhookSecret.name, 'X-Webhook-Secret');
    assert.deepEqual(doc.paths['/webhooks/360dialog/'].post.security, [{ webhookSecret: [] }]);
    assert.deepEqual(doc.paths['/health'].get.security, []);
  });
});

describe('hostile header and path sizes', () => {
  let system: TestSystem;
  before(async () => {
    system = await startSystem({ API_KEY: 'k' }, { worker: false });
  });
  after(() => system.stop());

  // Just under the 16 KB header bound: the parsers get the whole hostile value (answers at all = linear; no clock
  // read).
  const NEAR_LIMIT = 15 * 1024;

  it('a 15 KB Authorization of spaces or a 15 KB run of slashes is answered', async () => {
    assertError(
      await get(system, '/contacts/', { authorization: `Bearer x${' '.repeat(NEAR_LIMIT)}y` }),
      401,
      'unauthorized',
    );
    assertError(
      await get(system, '/contacts/', { authorization: `Bearer ${'a '.repeat(NEAR_LIMIT / 2)}` }),
      401,
      'unauthorized',
    );
    assertError(await get(system, `/${'/'.repeat(NEAR_LIMIT)}x`, { authorization: 'Bearer k' }), 404, 'not_found');
    assert.equal((await get(system, `/contacts${'/'.repeat(NEAR_LIMIT)}`, { authorization: 'Bearer k' })).status, 200);
  });

  it('headers over 16 KB are refused 431 in the JSON error shape', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${system.baseUrl}/contacts/`, { headers: { 'x-padding': 'a'.repeat(17 * 1024) } }, (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(answer.status, 431);
    assert.equal(JSON.parse(answer.body).error.code, 'headers_too_large');
  });
});
