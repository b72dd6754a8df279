import assert from 'node:assert/strict';
import { testPhone } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { useSystem } from '../helpers/use-system';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('contacts API: CRUD', () => {
  const sut = useSystem({}, { worker: false });

  const create = async (fields: Record<string, unknown> = {}) => {
    const response = await sut.api.post('/contacts/', { name: 'Ada Lovelace', phone_number: testPhone(), ...fields });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  };

  for (const path of ['/contacts/', '/contacts']) {
    it(`POST ${path} creates a contact with every documented field`, async () => {
      const phone = testPhone();
      const response = await sut.api.post(path, {
        name: 'Ada Lovelace',
        phone_number: phone,
        email: 'ada@example.com',
      });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      const { id, created_at, updated_at, group_id, name, phone_number, email, source, opted_out, opted_out_at } =
        response.body;
      assert.ok(Number.isInteger(id) && id > 0);
      assert.match(created_at, ISO);
      assert.match(updated_at, ISO);
      // Groups arrive in a later issue: the field exists from the start, a number once contacts are grouped.
      assert.ok(group_id === null || Number.isInteger(group_id), `group_id ${group_id}`);
      assert.deepEqual(
        { name, phone_number, email, source, opted_out, opted_out_at },
        {
          name: 'Ada Lovelace',
          phone_number: phone,
          email: 'ada@example.com',
          source: 'api',
          opted_out: false,
          opted_out_at: null,
        },
      );
    });

    it(`GET ${path} lists contacts as a DRF page`, async () => {
      const contact = await create();
      const response = await sut.api.get(path);
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, { count: 1, next: null, previous: null, results: [contact] });
    });
  }

  for (const suffix of ['/', '']) {
    it(`GET, PUT, PATCH and DELETE /contacts/{id}${suffix} work on one contact`, async () => {
      const contact = await create({ email: 'old@example.com' });
      const path = `/contacts/${contact.id}${suffix}`;
      assert.deepEqual((await sut.api.get(path)).body, contact);

      const phone = testPhone();
      const put = await sut.api.put(path, {
        name: 'Grace Hopper',
        phone_number: phone,
        email: 'grace@example.com',
        opted_out: true,
      });
      assert.equal(put.status, 200, JSON.stringify(put.body));
      assert.equal(put.body.id, contact.id);
      assert.equal(put.body.name, 'Grace Hopper');
      assert.equal(put.body.phone_number, phone);
      assert.equal(put.body.email, 'grace@example.com');
      assert.equal(put.body.opted_out, true);
      assert.match(put.body.opted_out_at, ISO);
      assert.equal(put.body.created_at, contact.created_at);
      assert.ok(put.body.updated_at >= contact.updated_at);

      const patch = await sut.api.patch(path, { name: 'Rear Admiral Hopper', opted_out: false });
      assert.equal(patch.status, 200, JSON.stringify(patch.body));
      assert.equal(patch.body.name, 'Rear Admiral Hopper');
      assert.equal(patch.body.phone_number, phone, 'PATCH keeps the fields it was not given');
      assert.equal(patch.body.email, 'grace@example.com');
      // The number is on the suppression list now: only START or DELETE /opt-outs/{phone}/ (with a reason)
      // re-subscribes it.
      assert.equal(patch.body.opted_out, true);
      assert.equal(patch.body.opted_out_at, put.body.opted_out_at);
      assert.deepEqual((await sut.api.get(path)).body, patch.body);
      assert.equal((await sut.api.delete(`/opt-outs/${encodeURIComponent(phone)}/?reason=test`)).status, 200);
      const resubscribed = (await sut.api.get(path)).body;
      assert.equal(resubscribed.opted_out, false);
      assert.equal(resubscribed.opted_out_at, null);

      const removed = await sut.api.delete(path);
      assert.equal(removed.status, 204);
      assert.equal(removed.body, undefined);
      assertError(await sut.api.get(path), 404, 'not_found');
      assertError(await sut.api.delete(path), 404, 'not_found');
      assertError(await sut.api.put(path, { name: 'x', phone_number: testPhone() }), 404, 'not_found');
    });
  }

  it('PUT replaces the whole contact: name and phone_number are required', async () => {
    const contact = await create();
    const error = assertError(
      await sut.api.put(`/contacts/${contact.id}/`, { name: 'Only a name' }),
      400,
      'validation_error',
    );
    assert.deepEqual(
      error.details?.map((d) => d.path),
      ['phone_number'],
    );
  });

  it('PUT accepts the object GET returned, ignoring the fields the server owns', async () => {
    const contact = await create();
    const updated = await sut.api.put(`/contacts/${contact.id}/`, {
      ...contact,
      name: 'Renamed',
      id: 999,
      created_at: '2000-01-01T00:00:00Z',
    });
    assert.equal(updated.status, 200);
    assert.equal(updated.body.id, contact.id);
    assert.equal(updated.body.name, 'Renamed');
    assert.equal(updated.body.created_at, contact.created_at);
  });

  it('POST names every missing or bad field at once', async () => {
    const error = assertError(
      await sut.api.post('/contacts/', { email: 'not-an-email', opted_out: 'yes' }),
      400,
      'validation_error',
    );
    assert.deepEqual(error.details?.map((d) => d.path).sort(), ['email', 'name', 'opted_out', 'phone_number']);
    assert.match(error.message, /phone_number/);
  });

  it('refuses an empty or NUL-bearing name', async () => {
    assertError(await sut.api.post('/contacts/', { name: '   ', phone_number: testPhone() }), 400, 'validation_error');
    const error = assertError(
      await sut.api.post('/contacts/', { name: 'a\u0000b', phone_number: testPhone() }),
      400,
      'validation_error',
    );
    assert.deepEqual(
      error.details?.map((d) => d.path),
      ['name'],
    );
  });

  for (const id of ['abc', '0', '-1', '1.5', '1e3', '99999999999999999999999', '9999999999999999', '%20']) {
    it(`an id that names nothing (${id}) is 404 on every method`, async () => {
      for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
        const body = method === 'PUT' || method === 'PATCH' ? { name: 'x', phone_number: testPhone() } : undefined;
        assertError(await sut.api.request(method, `/contacts/${id}/`, { body }), 404, 'not_found');
      }
    });
  }
});

describe('contacts API: phone numbers', () => {
  const sut = useSystem({}, { worker: false });

  it('stores every spelling of an international number in E.164', async () => {
    const spellings = ['+49 151 1234 5678', '+49 (151) 1234-5678', '0049 151 12345678', ' +49.151.1234.5678 '];
    for (const [i, spelling] of spellings.entries()) {
      const response = await sut.api.post('/contacts/', { name: `n${i}`, phone_number: spelling });
      assert.equal(response.status, 201, `${spelling}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.phone_number, '+4915112345678');
      assert.equal((await sut.api.delete(`/contacts/${response.body.id}/`)).status, 204);
    }
  });

  for (const bad of ['015112345678', 'abc', '+49', '+1234567890', '', '+49 151 1234 5678 ext', 12345]) {
    it(`refuses ${JSON.stringify(bad)} with a 400 naming phone_number`, async () => {
      const error = assertError(
        await sut.api.post('/contacts/', { name: 'x', phone_number: bad }),
        400,
        'validation_error',
      );
      assert.deepEqual(
        error.details?.map((d) => d.path),
        ['phone_number'],
      );
      assert.match(error.message, /^phone_number: /);
    });
  }

  it('refuses a bad phone number on PUT and PATCH too', async () => {
    const { body: contact } = await sut.api.post('/contacts/', { name: 'x', phone_number: testPhone() });
    assertError(
      await sut.api.put(`/contacts/${contact.id}/`, { name: 'x', phone_number: '12' }),
      400,
      'validation_error',
    );
    assertError(await sut.api.patch(`/contacts/${contact.id}/`, { phone_number: 'nope' }), 400, 'validation_error');
  });

  it('a duplicate phone number is 409, however it is spelled', async () => {
    await sut.api.post('/contacts/', { name: 'first', phone_number: '+4915112345678' });
    const error = assertError(
      await sut.api.post('/contacts/', { name: 'second', phone_number: '0049 151 1234 5678' }),
      409,
      'duplicate_phone_number',
    );
    assert.match(error.message, /\+4915112345678/);
    assert.equal((await sut.api.get('/contacts/')).body.count, 1);
  });

  it('PUT or PATCH onto another contact’s number is 409 and changes nothing', async () => {
    const { body: first } = await sut.api.post('/contacts/', { name: 'first', phone_number: testPhone() });
    const { body: second } = await sut.api.post('/contacts/', { name: 'second', phone_number: testPhone() });
    assertError(
      await sut.api.put(`/contacts/${second.id}/`, { name: 'second', phone_number: first.phone_number }),
      409,
      'duplicate_phone_number',
    );
    assertError(
      await sut.api.patch(`/contacts/${second.id}`, { phone_number: first.phone_number }),
      409,
      'duplicate_phone_number',
    );
    assert.deepEqual((await sut.api.get(`/contacts/${second.id}/`)).body, second);
    const same = await sut.api.put(`/contacts/${second.id}/`, { name: 'renamed', phone_number: second.phone_number });
    assert.equal(same.status, 200, 'keeping one’s own number is no conflict');
  });
});

describe('contacts API: DEFAULT_PHONE_REGION', () => {
  const sut = useSystem({ DEFAULT_PHONE_REGION: 'DE' }, { worker: false });

  it('reads a national number as German and stores E.164', async () => {
    const response = await sut.api.post('/contacts/', { name: 'x', phone_number: '0151 12345678' });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    assert.equal(response.body.phone_number, '+4915112345678');
    assertError(
      await sut.api.post('/contacts/', { name: 'y', phone_number: '+49 151 12345678' }),
      409,
      'duplicate_phone_number',
    );
  });

  it('still takes other countries in international format and refuses nonsense', async () => {
    const response = await sut.api.post('/contacts/', { name: 'x', phone_number: '+44 7911 123456' });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    assert.equal(response.body.phone_number, '+447911123456');
    assertError(await sut.api.post('/contacts/', { name: 'y', phone_number: '0151' }), 400, 'validation_error');
  });
});
