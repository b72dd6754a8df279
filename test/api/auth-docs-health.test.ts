import assert from 'node:assert/strict';
import { apiClient, testPhone, type ApiClient } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { startSystem, type TestSystem } from '../helpers/system';

describe('API_KEY: bearer auth on every route but health and docs', () => {
  let system: TestSystem;
  let api: ApiClient;
  const key = 'k-3f9a';

  before(async () => {
    system = await startSystem({ API_KEY: key }, { worker: false });
    api = apiClient(system.baseUrl);
  });
  after(() => system.stop());

  for (const [method, path] of [
    ['GET', '/contacts/'],
    ['GET', '/contacts'],
    ['POST', '/contacts/'],
    ['GET', '/contacts/1/'],
    ['DELETE', '/whatsapp/1/'],
    ['GET', '/whatsapp/'],
    ['POST', '/whatsapp/'],
  ]) {
    it(`${method} ${path} is 401 without the key or with a wrong one`, async () => {
      const body = method === 'POST' ? { name: 'x', phone_number: testPhone() } : undefined;
      for (const authorization of [
        undefined,
        `Bearer ${key}x`,
        'Bearer ',
        `Basic ${key}`,
        key,
        `Bearer ${key.slice(0, -1)}`,
      ]) {
        const response = await api.request(method, path, {
          body,
          headers: authorization === undefined ? {} : { authorization },
        });
        assertError(response, 401, 'unauthorized');
        assert.equal(response.headers.get('www-authenticate'), 'Bearer');
      }
    });
  }

  it('the right key opens every route (the scheme in any case)', async () => {
    const created = await api.post(
      '/contacts/',
      { name: 'x', phone_number: testPhone() },
      { headers: { authorization: `Bearer ${key}` } },
    );
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((await api.get('/contacts/', { headers: { authorization: `Bearer ${key}` } })).status, 200);
    assert.equal(
      (await api.get(`/contacts/${created.body.id}`, { headers: { authorization: `bearer ${key}` } })).status,
      200,
    );
    assert.equal(
      (await api.delete(`/contacts/${created.body.id}/`, { headers: { authorization: `Bearer ${key}` } })).status,
      204,
    );
  });

  it('is checked before the body is read: no key and a huge body is still 401', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
    assertError(
      await api.post('/contacts/', undefined, { rawBody: big, headers: { 'content-type': 'application/json' } }),
      401,
      'unauthorized',
    );
  });

  it('/metrics needs the key too (counts only, but not for the whole network)', async () => {
    assertError(await api.get('/metrics'), 401, 'unauthorized');
    assert.equal((await api.get('/metrics', { headers: { authorization: `Bearer ${key}` } })).status, 200);
  });

  for (const path of ['/health', '/health/', '/openapi.json', '/docs', '/docs/', '/docs/swagger-ui.css']) {
    it(`${path} stays open without a key`, async () => {
      assert.equal((await api.get(path)).status, 200);
    });
  }
});

describe('API description and health', () => {
  let system: TestSystem;
  let api: ApiClient;

  before(async () => {
    system = await startSystem({}, { worker: false });
    api = apiClient(system.baseUrl);
  });
  after(() => system.stop());

  it('/openapi.json is OpenAPI 3.1 describing the contacts and WhatsApp paths', async () => {
    const response = await api.get('/openapi.json');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const doc = response.body;
    assert.match(doc.openapi, /^3\.1\.\d+$/);
    const methods = (path: string) => Object.keys(doc.paths[path] ?? {}).sort();
    assert.deepEqual(methods('/contacts/'), ['get', 'post']);
    assert.deepEqual(methods('/contacts/{id}/'), ['delete', 'get', 'patch', 'put']);
    assert.deepEqual(methods('/whatsapp/'), ['get', 'post']);
    assert.deepEqual(methods('/whatsapp/{id}/'), ['delete', 'get', 'patch']);
    assert.ok(doc.paths['/health']);
  });

  it('the schemas in /openapi.json come from the zod schemas the API validates with', async () => {
    const { components } = (await api.get('/openapi.json')).body;
    const input = components.schemas.ContactInput;
    assert.deepEqual([...input.required].sort(), ['name', 'phone_number']);
    assert.equal(input.additionalProperties, false);
    assert.ok(components.schemas.Contact.properties.phone_number);
    assert.deepEqual(Object.keys(components.schemas.Error.properties), ['error']);
    assert.ok(components.schemas.MessageInput);
    const list = (await api.get('/openapi.json')).body.paths['/contacts/'].get;
    assert.deepEqual(list.parameters.map((p: { name: string }) => p.name).sort(), [
      'format',
      'page',
      'page_size',
      'search',
      'tag',
    ]);
  });

  it('/docs serves an HTML page that loads Swagger UI from this server', async () => {
    for (const path of ['/docs', '/docs/']) {
      const response = await fetch(`${system.baseUrl}${path}`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      const html = await response.text();
      assert.match(html, /swagger-ui-bundle\.js/);
      assert.match(html, /\/openapi\.json/);
    }
    const bundle = await fetch(`${system.baseUrl}/docs/swagger-ui-bundle.js`);
    assert.equal(bundle.status, 200);
    assert.match(bundle.headers.get('content-type') ?? '', /javascript/);
    assertError(await api.get('/docs/secrets.txt'), 404, 'not_found');
    assertError(await api.get('/docs/..%2Fpackage.json'), 404, 'not_found');
  });

  it('/health reports Postgres and Temporal reachable', async () => {
    const response = await api.get('/health');
    assert.equal(response.status, 200);
    assert.equal(response.body.status, 'ok');
    assert.deepEqual(response.body.postgres, { ok: true });
    assert.deepEqual(response.body.temporal, { ok: true });
    assert.equal((await api.get('/ready')).status, 200);
  });
});
