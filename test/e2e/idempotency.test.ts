import assert from 'node:assert/strict';
import { testPhone } from '../helpers/api-client';
import { waitForStatus } from '../helpers/messages';
import { useSystem } from '../helpers/use-system';

describe('Idempotency-Key', () => {
  const sut = useSystem();

  it('a repeat with the same key returns the first result and sends once, also when concurrent', async () => {
    const phone = testPhone();
    const body = { phone_number: phone, message: 'once' };
    const headers = { 'Idempotency-Key': 'order-42-confirmation' };
    const replies = await Promise.all(Array.from({ length: 5 }, () => sut.api.post('/whatsapp/', body, { headers })));
    assert.deepEqual(replies.map((r) => r.status), [201, 201, 201, 201, 201]);
    const ids = new Set(replies.map((r) => r.body.id));
    assert.equal(ids.size, 1);

    const [id] = ids;
    await waitForStatus(sut.api, id, 'sent');
    const later = await sut.api.post('/whatsapp/', body, { headers });
    assert.equal(later.body.id, id);
    assert.equal(later.body.status, 'sent');
    assert.equal(later.headers.get('idempotent-replayed'), 'true');
    assert.equal(sut.system.fake.messagesTo(phone).length, 1);
    assert.equal((await sut.system.db('messages').count({ n: '*' }))[0].n, 1);
  });

  it('refuses the same key with a different body', async () => {
    const headers = { 'Idempotency-Key': 'k-1' };
    const phone = testPhone();
    assert.equal((await sut.api.post('/whatsapp/', { phone_number: phone, message: 'a' }, { headers })).status, 201);
    const other = await sut.api.post('/whatsapp/', { phone_number: phone, message: 'b' }, { headers });
    assert.equal(other.status, 422);
    assert.equal(other.body.error.code, 'idempotency_key_reused');
  });
});
