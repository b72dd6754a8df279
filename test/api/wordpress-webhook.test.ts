import assert from 'node:assert/strict';
import { testPhone } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { useSystem } from '../helpers/use-system';

const SECRET = 'wp-secret-for-tests';
const PATH = '/webhooks/wordpress/';

describe('POST /webhooks/wordpress/: one lead per form submission', () => {
  const sut = useSystem(
    {
      WORDPRESS_WEBHOOK_SECRET: SECRET,
      WORDPRESS_TAGS: 'website',
      WORDPRESS_FIELD_TAGS: 'form_id',
      DEFAULT_PHONE_REGION: 'DE',
    },
    { worker: false },
  );
  const submit = (body: unknown, secret = SECRET) =>
    sut.api.post(PATH, body, { headers: { 'x-webhook-secret': secret } });

  it('refuses without the secret or with a wrong one (401), and creates nothing', async () => {
    const phone = testPhone();
    assertError(await sut.api.post(PATH, { phone }), 401, 'unauthorized');
    assertError(await submit({ phone }, `${SECRET}x`), 401, 'unauthorized');
    assert.equal((await sut.api.get('/contacts/')).body.count, 0);
  });

  it('answers 400 naming every bad field', async () => {
    const error = assertError(
      await submit({ phone: 'call me', email: 'nope', tags: ['!bad'], submitted_at: 'yesterday' }),
      400,
      'validation_error',
    );
    assert.deepEqual(error.details?.map((d) => d.path).sort(), ['email', 'phone', 'submitted_at', 'tags.0']);
    assertError(await submit({ name: 'No phone' }), 400, 'validation_error');
    assertError(await submit({ phone: testPhone(), padding: 'x'.repeat(70_000) }), 413, 'payload_too_large');
  });

  it('creates the contact (201) like the sync: national number, tags from the config, source wordpress; a repeat is 200 unchanged', async () => {
    const body = {
      first_name: 'Grace',
      last_name: 'Hopper',
      phone: '0151 2345 6789',
      email: 'grace@example.com',
      form_id: 7,
      entry_id: '42',
      tags: ['Spring Sale'],
    };
    const created = await submit(body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.outcome, 'created');
    const { name, phone_number, email, source, tags, opted_out, group_id } = created.body.contact;
    assert.deepEqual(
      { name, phone_number, email, source, opted_out },
      {
        name: 'Grace Hopper',
        phone_number: '+4915123456789',
        email: 'grace@example.com',
        source: 'wordpress',
        opted_out: false,
      },
    );
    assert.deepEqual(tags, ['spring sale', 'website', '7']);
    assert.ok(Number.isInteger(group_id), 'seated in a group');

    const again = await submit(body);
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.outcome, 'unchanged');
    assert.equal(again.body.contact.id, created.body.contact.id);
    assert.equal((await sut.api.get('/contacts/')).body.count, 1);
  });

  it('never re-subscribes an opted-out number, also after the contact was deleted', async () => {
    const phone = testPhone();
    const contact = (await sut.api.post('/contacts/', { name: 'Stopped', phone_number: phone, opted_out: true })).body;
    const known = await submit({ phone, name: 'Stopped Again' });
    assert.equal(known.status, 200, JSON.stringify(known.body));
    assert.equal(known.body.contact.opted_out, true);

    assert.equal((await sut.api.delete(`/contacts/${contact.id}/`)).status, 204);
    const fresh = await submit({ phone, name: 'Stopped Again' });
    assert.equal(fresh.status, 201, JSON.stringify(fresh.body));
    assert.equal(fresh.body.contact.opted_out, true);
  });
});

describe('POST /webhooks/wordpress/ without WORDPRESS_WEBHOOK_SECRET', () => {
  const sut = useSystem({}, { worker: false });

  it('is closed: every request is 401, with or without a header', async () => {
    assertError(await sut.api.post(PATH, { phone: testPhone() }), 401, 'unauthorized');
    assertError(
      await sut.api.post(PATH, { phone: testPhone() }, { headers: { 'x-webhook-secret': '' } }),
      401,
      'unauthorized',
    );
  });
});
