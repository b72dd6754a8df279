import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createIdempotencyKeysRepository } from '../../src/db/repositories/idempotency-keys';
import { testPhone } from '../helpers/api-client';
import { waitForStatus } from '../helpers/messages';
import { useSystem } from '../helpers/use-system';

const inFuture = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

describe('Idempotency-Key', () => {
  const sut = useSystem();

  it('a repeat with the same key returns the first status and body and sends once; a concurrent one is 409', async () => {
    const phone = testPhone();
    const body = { phone_number: phone, message: 'once' };
    const headers = { 'Idempotency-Key': 'order-42-confirmation' };
    const replies = await Promise.all(Array.from({ length: 5 }, () => sut.api.post('/whatsapp/', body, { headers })));
    const created = replies.filter((r) => r.status === 201);
    assert.ok(created.length >= 1, JSON.stringify(replies.map((r) => r.body)));
    for (const reply of replies.filter((r) => r.status !== 201)) {
      assert.equal(reply.status, 409);
      assert.equal(reply.body.error.code, 'idempotency_in_progress');
    }
    const ids = new Set(created.map((r) => r.body.id));
    assert.equal(ids.size, 1);

    const [id] = ids;
    await waitForStatus(sut.api, id, 'sent');
    const first = created.find((r) => r.headers.get('idempotent-replayed') === null) ?? created[0];
    const later = await sut.api.post('/whatsapp/', body, { headers });
    assert.equal(later.status, 201);
    assert.equal(later.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(later.body, first.body, 'the original body, not the current state');
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

  it('every creating POST replays: contacts, groups, status, auto-replies', async () => {
    const cases: [string, unknown][] = [
      ['/contacts/', { name: 'Idem', phone_number: testPhone() }],
      ['/groups/', { name: `Idem group ${Date.now()}` }],
      ['/status/', { text: 'Idem status', scheduled_at: inFuture(3600) }],
      ['/auto-replies/', { name: 'idem', match: 'exact', pattern: 'hours', reply: { message: '9-5' } }],
    ];
    for (const [path, body] of cases) {
      const headers = { 'Idempotency-Key': `same-key-everywhere` };
      const first = await sut.api.post(path, body, { headers });
      assert.equal(first.status, 201, `${path}: ${JSON.stringify(first.body)}`);
      assert.equal(first.headers.get('idempotent-replayed'), null);
      const again = await sut.api.post(path, body, { headers });
      assert.equal(again.status, 201, path);
      assert.equal(again.headers.get('idempotent-replayed'), 'true', path);
      assert.deepEqual(again.body, first.body, path);
    }
    assert.equal((await sut.system.db('auto_reply_rules').count({ n: '*' }))[0].n, 1);
    assert.equal((await sut.system.db('statuses').count({ n: '*' }))[0].n, 1);
  });

  it('a refused request leaves its key free; a key still in progress answers 409; an expired key starts afresh', async () => {
    const phone = testPhone();
    await sut.api.post('/contacts/', { name: 'Taken', phone_number: phone });
    const headers = { 'Idempotency-Key': 'dup-phone' };
    const dup = { name: 'Dup', phone_number: phone };
    const taken = await sut.api.post('/contacts/', dup, { headers });
    assert.equal(taken.status, 409);
    await sut.system.db('contacts').where({ phone_number: phone }).delete();
    const retried = await sut.api.post('/contacts/', dup, { headers });
    assert.equal(retried.status, 201, 'the refused attempt was not kept as the final answer');
    assert.equal(retried.headers.get('idempotent-replayed'), null);

    const rule = { name: 'r', match: 'any', reply: { message: 'hi' } };
    const fingerprint = createHash('sha256').update(JSON.stringify(rule)).digest('hex');
    await sut.system.db('idempotency_keys').insert({
      scope: 'POST /auto-replies/',
      key: 'busy',
      token: 't',
      fingerprint,
      expires_at: new Date(Date.now() + 60_000),
    });
    const busy = await sut.api.post('/auto-replies/', rule, { headers: { 'Idempotency-Key': 'busy' } });
    assert.equal(busy.status, 409);
    assert.equal(busy.body.error.code, 'idempotency_in_progress');

    const first = await sut.api.post('/auto-replies/', rule, { headers: { 'Idempotency-Key': 'old' } });
    await sut.system
      .db('idempotency_keys')
      .where({ key: 'old' })
      .update({ expires_at: new Date(Date.now() - 1000) });
    const afresh = await sut.api.post('/auto-replies/', rule, { headers: { 'Idempotency-Key': 'old' } });
    assert.equal(afresh.status, 201);
    assert.equal(afresh.headers.get('idempotent-replayed'), null);
    assert.notEqual(afresh.body.id, first.body.id);

    await sut.system
      .db('idempotency_keys')
      .where({ key: 'old' })
      .update({ expires_at: new Date(Date.now() - 1000) });
    await createIdempotencyKeysRepository(sut.system.db).purgeExpired();
    assert.deepEqual(
      (await sut.system.db('idempotency_keys').select('key').orderBy('key')).map((r) => r.key),
      ['busy', 'dup-phone'],
    );
  });

  it('keys are scoped per route, and a malformed key is refused naming the header', async () => {
    const headers = { 'Idempotency-Key': 'shared' };
    assert.equal((await sut.api.post('/groups/', { name: 'Scoped' }, { headers })).status, 201);
    const contact = await sut.api.post('/contacts/', { name: 'Scoped', phone_number: testPhone() }, { headers });
    assert.equal(contact.status, 201);
    assert.equal(contact.headers.get('idempotent-replayed'), null);
    const bad = await sut.api.post('/groups/', { name: 'x' }, { headers: { 'Idempotency-Key': 'has space' } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.details[0].path, 'Idempotency-Key');
  });

  it('the OpenAPI document declares the header on every creating POST', async () => {
    const doc = (await sut.api.get('/openapi.json')).body;
    for (const path of ['/contacts/', '/whatsapp/', '/groups/', '/status/', '/auto-replies/']) {
      const names = (doc.paths[path].post.parameters ?? []).map((p: { name: string }) => p.name);
      assert.ok(names.includes('Idempotency-Key'), path);
      assert.ok(doc.paths[path].post.responses['409'], path);
    }
  });
});
