import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { apiClient, testPhone } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { rawRequest } from '../helpers/raw-request';
import { startSystem } from '../helpers/system';
import { useSystem } from '../helpers/use-system';

const json = { 'content-type': 'application/json' };
const nested = (depth: number, inner = '1') => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

/** Requests meant to break the server: each must get a 4xx in the error shape, and the server must keep serving. */
describe('API: hostile input never crashes the process', () => {
  const sut = useSystem({}, { worker: false });
  afterEach(async () => {
    assert.equal((await sut.api.get('/contacts/')).status, 200, 'the server still answers');
  });

  const postRaw = (path: string, body: string | Buffer, headers: Record<string, string> = json) =>
    sut.api.post(path, undefined, { rawBody: body, headers });

  it('bytes that are not UTF-8 inside a JSON string are 400 invalid_json, not stored as mojibake', async () => {
    for (const bad of [
      Buffer.from([0xff, 0xfe]),
      Buffer.from([0xc3]),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from([0xe2, 0x28, 0xa1]),
    ]) {
      const body = Buffer.concat([Buffer.from(`{"name":"a`), bad, Buffer.from(`b","phone_number":"${testPhone()}"}`)]);
      const error = assertError(await postRaw('/contacts/', body), 400, 'invalid_json');
      assert.match(error.message, /UTF-8/);
    }
    assert.equal((await sut.api.get('/contacts/')).body.count, 0);
  });

  it('NUL characters are refused wherever they appear', async () => {
    const phone = testPhone();
    assert.deepEqual(
      assertError(
        await sut.api.post('/contacts/', { name: 'a\u0000b', phone_number: phone }),
        400,
        'validation_error',
      ).details?.map((d) => d.path),
      ['name'],
    );
    assertError(
      await sut.api.post('/contacts/', { name: 'a', phone_number: `${phone}\u0000` }),
      400,
      'validation_error',
    );
    assertError(
      await sut.api.post('/contacts/', { name: 'a', phone_number: phone, email: 'a\u0000@example.com' }),
      400,
      'validation_error',
    );
    assertError(
      await sut.api.post('/contacts/', { name: 'a', phone_number: phone, 'x\u0000': 1 }),
      400,
      'validation_error',
    );
    assertError(
      await postRaw('/contacts/', Buffer.from(`{"name":"a\u0000b","phone_number":"${phone}"}`)),
      400,
      'invalid_json',
    );
    assertError(await sut.api.get('/contacts/?search=%00'), 400, 'validation_error');
    assertError(
      await sut.api.post('/whatsapp/', { phone_number: phone, message: 'hi\u0000' }),
      400,
      'validation_error',
    );
    const template = { name: 'hello', language: 'en', components: [{ type: 'body', text: 'a\u0000b' }] };
    const response = await sut.api.post('/whatsapp/', { phone_number: phone, template });
    assert.ok(response.status >= 400 && response.status < 500, JSON.stringify(response.body));
    assert.equal(response.body.error.code, 'validation_error');
  });

  it('lone UTF-16 surrogates (valid JSON escapes, invalid text) are refused', async () => {
    const error = assertError(
      await postRaw('/contacts/', `{"name":"a\\ud800b","phone_number":"${testPhone()}"}`),
      400,
      'validation_error',
    );
    assert.deepEqual(
      error.details?.map((d) => d.path),
      ['name'],
    );
  });

  it('deeply nested JSON is 400 invalid_json before anything recursive touches it', async () => {
    for (const depth of [33, 10_000, 400_000]) {
      assertError(await postRaw('/contacts/', `{"name":${nested(depth)}}`), 400, 'invalid_json');
      const components = `[{"type":"body","parameters":${nested(depth, '{}')}}]`;
      assertError(
        await postRaw(
          '/whatsapp/',
          `{"phone_number":"${testPhone()}","template":{"name":"x","language":"en","components":${components}}}`,
        ),
        400,
        'invalid_json',
      );
    }
    const deepString = `{"name":"${'['.repeat(150)}","phone_number":"${testPhone()}"}`;
    assert.equal((await postRaw('/contacts/', deepString)).status, 201, 'brackets inside a string are just text');
  });

  it('huge, fractional and non-finite numbers are 400 naming the field, huge path ids 404', async () => {
    for (const contactId of ['1e300', '9223372036854775808', '-1', '1.5', '0']) {
      const error = assertError(
        await postRaw('/whatsapp/', `{"contact_id":${contactId},"message":"hi"}`),
        400,
        'validation_error',
      );
      assert.ok(
        error.details?.some((d) => d.path === 'contact_id'),
        `${contactId}: ${JSON.stringify(error)}`,
      );
    }
    assertError(await postRaw('/contacts/', `{"name":1e999,"phone_number":"${testPhone()}"}`), 400, 'validation_error');
    assertError(await sut.api.get('/contacts/?page=1e400'), 400, 'validation_error');
    assertError(await sut.api.get('/whatsapp/?contact_id=99999999999999999999999'), 400, 'validation_error');
    for (const path of ['/contacts/18446744073709551616/', '/whatsapp/9223372036854775807/', '/contacts/0x10/'])
      assertError(await sut.api.get(path), 404, 'not_found');
  });

  it('arrays and scalars where objects belong are 400 naming the field', async () => {
    const error = assertError(
      await sut.api.post('/whatsapp/', { phone_number: testPhone(), template: ['hello', 'en'] }),
      400,
      'validation_error',
    );
    assert.deepEqual(
      error.details?.map((d) => d.path),
      ['template'],
    );
    assertError(
      await sut.api.post('/whatsapp/', { phone_number: testPhone(), media: 'https://example.com/a.png' }),
      400,
      'validation_error',
    );
    assertError(
      await sut.api.post('/contacts/', { name: { first: 'a' }, phone_number: [testPhone()] }),
      400,
      'validation_error',
    );
    assertError(await sut.api.get('/contacts/?search=a&search=b'), 400, 'validation_error');
  });

  it('a __proto__ key is refused rather than merged anywhere', async () => {
    const error = assertError(
      await postRaw('/contacts/', `{"name":"a","phone_number":"${testPhone()}","__proto__":{"admin":true}}`),
      400,
      'invalid_json',
    );
    assert.match(error.message, /__proto__/);
    assert.equal(({} as Record<string, unknown>).admin, undefined);
  });

  it('malformed percent-encoding in paths and queries is 404 or answered, never a 500', async () => {
    for (const path of ['/contacts/%E0%A4%A/', '/contacts/%ZZ', '/whatsapp/%/', '/%c0%ae%c0%ae/'])
      assertError(await sut.api.get(path), 404, 'not_found');
    const query = await sut.api.get('/contacts/?search=%E0%A4%A&page_size=%ZZ');
    assertError(query, 400, 'validation_error');
  });

  it('behind a trusted proxy, a forged X-Forwarded-Host that makes no URL yields relative paging links, not a 500', async () => {
    await sut.api.post('/contacts/', { name: 'a', phone_number: testPhone() });
    await sut.api.post('/contacts/', { name: 'b', phone_number: testPhone() });
    // Without TRUST_PROXY the header is not read at all (test/api/network-defaults.test.ts).
    const proxied = await startSystem({ TRUST_PROXY: 'true' }, { worker: false });
    try {
      const response = await apiClient(proxied.baseUrl).get('/contacts/?page_size=1', {
        headers: { 'x-forwarded-host': 'bad host:99999' },
      });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.equal(response.body.next, '/contacts/?page_size=1&page=2');
    } finally {
      await proxied.stop();
    }
  });

  it('compressed or garbled bodies are handled: gzip is read, garbage is 400, unknown codings 415', async () => {
    const gzipped = gzipSync(JSON.stringify({ name: 'zipped', phone_number: testPhone() }));
    const ok = await rawRequest(sut.system.baseUrl, {
      path: '/contacts/',
      headers: { ...json, 'content-encoding': 'gzip' },
      chunks: [gzipped],
    });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const garbage = await rawRequest(sut.system.baseUrl, {
      path: '/contacts/',
      headers: { ...json, 'content-encoding': 'gzip' },
      chunks: ['{"not":"gzip"}'],
    });
    assert.equal(garbage.status, 400, JSON.stringify(garbage.body));
    assert.ok(garbage.body.error.code);
    const unknown = await rawRequest(sut.system.baseUrl, {
      path: '/contacts/',
      headers: { ...json, 'content-encoding': 'x-unheard-of' },
      chunks: ['{}'],
    });
    assertError(unknown, 415, 'unsupported_media_type');
  });

  it('a gzip bomb stops at 1 MB of JSON: 413', async () => {
    const bomb = gzipSync(
      Buffer.concat([Buffer.from('{"name":"'), Buffer.alloc(50 * 1024 * 1024, 'a'), Buffer.from('"}')]),
    );
    const response = await rawRequest(sut.system.baseUrl, {
      path: '/contacts/',
      headers: { ...json, 'content-encoding': 'gzip' },
      chunks: [bomb],
    });
    assertError(response, 413, 'payload_too_large');
  });

  it('a client that hangs up halfway through its body does not disturb the server', async () => {
    const req = request(`${sut.system.baseUrl}/contacts/`, {
      method: 'POST',
      headers: { ...json, 'content-length': '1000' },
    });
    const closed = new Promise((resolve) => req.on('error', resolve).on('close', resolve));
    await new Promise<void>((resolve) => req.write('{"name":', () => resolve()));
    req.destroy();
    await closed;
  });
});
