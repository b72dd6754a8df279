import assert from 'node:assert/strict';
import { truncateAll } from '../helpers/database';
import { apiClient, testPhone, type ApiClient } from '../helpers/api-client';
import { waitForStatus } from '../helpers/messages';
import { startSystem, type TestSystem } from '../helpers/system';

describe('Idempotency-Key', () => {
  let system: TestSystem;
  let api: ApiClient;

  before(async () => {
    system = await startSystem();
    api = apiClient(system.baseUrl);
  });
  after(() => system.stop());
  beforeEach(async () => {
    system.fake.reset();
    await truncateAll(system.db);
  });

  it('a repeat with the same key returns the first result and sends once, also when concurrent', async () => {
    const phone = testPhone();
    const body = { phone_number: phone, message: 'once' };
    const headers = { 'Idempotency-Key': 'order-42-confirmation' };
    const replies = await Promise.all(Array.from({ length: 5 }, () => api.post('/whatsapp/', body, { headers })));
    assert.deepEqual(replies.map((r) => r.status), [201, 201, 201, 201, 201]);
    const ids = new Set(replies.map((r) => r.body.id));
    assert.equal(ids.size, 1);

    const [id] = ids;
    await waitForStatus(api, id, 'sent');
    const later = await api.post('/whatsapp/', body, { headers });
    assert.equal(later.body.id, id);
    assert.equal(later.body.status, 'sent');
    assert.equal(later.headers.get('idempotent-replayed'), 'true');
    assert.equal(system.fake.messagesTo(phone).length, 1);
    assert.equal((await system.db('messages').count({ n: '*' }))[0].n, 1);
  });

  it('refuses the same key with a different body', async () => {
    const headers = { 'Idempotency-Key': 'k-1' };
    const phone = testPhone();
    assert.equal((await api.post('/whatsapp/', { phone_number: phone, message: 'a' }, { headers })).status, 201);
    const other = await api.post('/whatsapp/', { phone_number: phone, message: 'b' }, { headers });
    assert.equal(other.status, 422);
    assert.equal(other.body.error.code, 'idempotency_key_reused');
  });
});
