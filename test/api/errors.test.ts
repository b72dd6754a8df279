import assert from 'node:assert/strict';
import { testPhone } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { rawRequest } from '../helpers/raw-request';
import { useSystem } from '../helpers/use-system';

const MB = 1024 * 1024;

describe('API errors: one JSON shape for every failure', () => {
  const sut = useSystem({}, { worker: false });

  const json = { 'content-type': 'application/json' };

  for (const [what, raw] of [
    ['truncated', '{"name": "x", "phone_number":'],
    ['a trailing comma', '{"name": "x",}'],
    ['single quotes', "{'name': 'x'}"],
    ['two documents', '{}{}'],
    ['an empty object with garbage', '{} x'],
  ]) {
    it(`malformed JSON (${what}) is 400 invalid_json`, async () => {
      for (const path of ['/contacts/', '/whatsapp/']) {
        const error = assertError(
          await sut.api.post(path, undefined, { rawBody: raw, headers: json }),
          400,
          'invalid_json',
        );
        assert.match(error.message, /JSON/);
      }
    });
  }

  it('an unknown field is a 400 that names the field', async () => {
    const error = assertError(
      await sut.api.post('/contacts/', { name: 'x', phone_number: testPhone(), nickname: 'y', extra: 1 }),
      400,
      'validation_error',
    );
    assert.deepEqual(error.details?.map((d) => d.path).sort(), ['extra', 'nickname']);
    assert.match(error.message, /nickname/);
    const { body: contact } = await sut.api.post('/contacts/', { name: 'x', phone_number: testPhone() });
    const patched = assertError(
      await sut.api.patch(`/contacts/${contact.id}/`, { colour: 'red' }),
      400,
      'validation_error',
    );
    assert.deepEqual(
      patched.details?.map((d) => d.path),
      ['colour'],
    );
    const message = assertError(
      await sut.api.post('/whatsapp/', { phone_number: testPhone(), message: 'hi', priority: 'high' }),
      400,
      'validation_error',
    );
    assert.deepEqual(
      message.details?.map((d) => d.path),
      ['priority'],
    );
  });

  it('valid JSON that is not an object (array, string, number, null) is a 400 that says an object is expected', async () => {
    for (const body of [[], [{ name: 'x' }], 'x', 1, true, null]) {
      for (const path of ['/contacts/', '/whatsapp/']) {
        const error = assertError(
          await sut.api.post(path, undefined, { rawBody: JSON.stringify(body), headers: json }),
          400,
          'validation_error',
        );
        assert.match(error.message, /JSON object/, JSON.stringify(body));
      }
    }
  });

  it('POST, PUT or PATCH without a body is a 400 that says a JSON object is expected', async () => {
    const { body: contact } = await sut.api.post('/contacts/', { name: 'x', phone_number: testPhone() });
    for (const [method, path] of [
      ['POST', '/contacts/'],
      ['PUT', `/contacts/${contact.id}/`],
      ['PATCH', `/contacts/${contact.id}/`],
      ['POST', '/whatsapp/'],
    ]) {
      const error = assertError(await sut.api.request(method, path, { headers: json }), 400, 'validation_error');
      assert.match(error.message, /JSON object/, `${method} ${path}`);
    }
  });

  for (const path of ['/nope', '/nope/', '/contacts/1/extra', '/contactsx/', '/whatsapp/1/2/']) {
    it(`an unknown route (${path}) is 404 not_found`, async () => {
      for (const method of ['GET', 'POST', 'DELETE'])
        assertError(await sut.api.request(method, path, method === 'POST' ? { body: {} } : {}), 404, 'not_found');
    });
  }

  for (const [method, path, allowed] of [
    ['DELETE', '/contacts/', 'GET, HEAD, POST'],
    ['PUT', '/contacts', 'GET, HEAD, POST'],
    ['POST', '/contacts/1/', 'DELETE, GET, HEAD, PATCH, PUT'],
    ['PUT', '/whatsapp/1', 'DELETE, GET, HEAD, PATCH'],
    ['POST', '/health', 'GET, HEAD'],
    ['DELETE', '/openapi.json', 'GET, HEAD'],
  ]) {
    it(`${method} ${path} is 405 with an Allow header`, async () => {
      const response = await sut.api.request(method, path, method === 'DELETE' ? {} : { body: {} });
      assertError(response, 405, 'method_not_allowed');
      assert.equal(response.headers.get('allow')?.split(/,\s*/).sort().join(', '), allowed);
    });
  }

  it('a method the API does not know at all is 405 in the error shape, not a 5xx', async () => {
    for (const method of ['TRACE', 'PROPFIND', 'PURGE']) {
      const response = await rawRequest(sut.system.baseUrl, { method, path: '/contacts/' });
      assertError(response, 405, 'method_not_allowed');
    }
  });

  it('OPTIONS lists the allowed methods', async () => {
    const response = await sut.api.request('OPTIONS', '/contacts/1/');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('allow')?.split(/,\s*/).sort().join(', '), 'DELETE, GET, HEAD, PATCH, PUT');
  });

  it('a body over 1 MB is 413, with or without Content-Length', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(MB), phone_number: testPhone() });
    assertError(await sut.api.post('/contacts/', undefined, { rawBody: big, headers: json }), 413, 'payload_too_large');
    const chunked = await rawRequest(sut.system.baseUrl, {
      path: '/contacts/',
      headers: json,
      chunks: [big.slice(0, MB / 2), big.slice(MB / 2)],
    });
    assertError(chunked, 413, 'payload_too_large');
    assert.equal((await sut.api.get('/contacts/')).body.count, 0);
  });

  it('a body just under 1 MB is read (and then judged on its fields)', async () => {
    const justUnder = JSON.stringify({ name: 'x'.repeat(MB - 200), phone_number: testPhone() });
    const error = assertError(
      await sut.api.post('/contacts/', undefined, { rawBody: justUnder, headers: json }),
      400,
      'validation_error',
    );
    assert.deepEqual(
      error.details?.map((d) => d.path),
      ['name'],
    );
  });

  for (const type of [
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
  ]) {
    it(`a ${type.split(';')[0]} body is 415`, async () => {
      for (const method of ['POST', 'PUT', 'PATCH']) {
        const path = method === 'POST' ? '/contacts/' : '/contacts/1/';
        assertError(
          await sut.api.request(method, path, { rawBody: 'name=x', headers: { 'content-type': type } }),
          415,
          'unsupported_media_type',
        );
      }
    });
  }

  it('a body without any Content-Type is 415', async () => {
    const response = await rawRequest(sut.system.baseUrl, {
      path: '/contacts/',
      headers: { 'content-length': '12' },
      chunks: ['{"name":"x"}'],
    });
    assertError(response, 415, 'unsupported_media_type');
  });

  it('accepts application/json with a charset and +json types', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/merge-patch+json', 'Application/JSON']) {
      const response = await sut.api.post(
        '/contacts/',
        { name: type, phone_number: testPhone() },
        { headers: { 'content-type': type } },
      );
      assert.equal(response.status, 201, `${type}: ${JSON.stringify(response.body)}`);
    }
  });

  it('a JSON body in a charset other than UTF-8 is 415', async () => {
    const body = Buffer.from(JSON.stringify({ name: 'Jürgen', phone_number: testPhone() }), 'latin1');
    assertError(
      await sut.api.post('/contacts/', undefined, {
        rawBody: body,
        headers: { 'content-type': 'application/json; charset=iso-8859-1' },
      }),
      415,
      'unsupported_media_type',
    );
  });

  it('every error carries the request id it was logged under', async () => {
    const response = await sut.api.get('/nope', { headers: { 'x-request-id': 'trace-123' } });
    assert.equal(response.headers.get('x-request-id'), 'trace-123');
  });
});
