import assert from 'node:assert/strict';
import { assertError } from '../helpers/assert-error';
import { messageReaches } from '../helpers/broadcasts';
import { insertContacts } from '../helpers/groups';
import { eventually } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';

describe('broadcasting to a segment', () => {
  const sut = useSystem();

  /** `count` contacts carrying `tags`, the first `optedOut` of them opted out; their phones. */
  const tagged = async (count: number, tags: string[], optedOut = 0) => {
    const ids = await insertContacts(sut.system.db, count);
    await sut.system.db('contacts').whereIn('id', ids).update({ tags });
    await sut.system
      .db('contacts')
      .whereIn('id', ids.slice(0, optedOut))
      .update({ opted_out: true, opted_out_at: sut.system.db.fn.now() });
    const rows: { phone_number: string }[] = await sut.system
      .db('contacts')
      .whereIn('id', ids)
      .orderBy('id')
      .select('phone_number');
    return { ids, phones: rows.map((r) => r.phone_number) };
  };
  const segment = async (filter: unknown) =>
    (await sut.api.post('/segments/', { name: `s ${Math.random()}`, filter })).body;

  it('reaches the members at send time, skips opted-out ones and people outside it', async () => {
    const vips = await tagged(4, ['vip'], 1);
    const others = await tagged(3, ['newsletter']);
    const vip = await segment({ tags: ['vip'] });
    const created = await sut.api.post('/whatsapp/', {
      segment_id: vip.id,
      message: 'VIP sale',
      scheduled_at: new Date(Date.now() + 1_500).toISOString(),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.kind, 'broadcast');
    assert.equal(created.body.segment_id, vip.id);
    assert.equal(created.body.group_id, null);
    // Joins the segment after scheduling: evaluated at send time.
    const late = await tagged(1, ['vip']);

    const done = await messageReaches(sut.api, created.body.id, 'sent');
    assert.equal(done.recipient_count, 4);
    for (const phone of [...vips.phones.slice(1), ...late.phones])
      assert.equal(sut.system.fake.messagesTo(phone).length, 1, phone);
    for (const phone of [vips.phones[0], ...others.phones])
      assert.equal(sut.system.fake.messagesTo(phone).length, 0, phone);
  });

  it('a segment deleted before the send still reaches the audience it had, never everyone', async () => {
    const vips = await tagged(2, ['vip']);
    const others = await tagged(2, ['other']);
    const vip = await segment({ tags: ['vip'] });
    const created = await sut.api.post('/whatsapp/', {
      segment_id: vip.id,
      message: 'Still you',
      scheduled_at: new Date(Date.now() + 1_500).toISOString(),
    });
    assert.equal((await sut.api.delete(`/segments/${vip.id}/`)).status, 204);
    const done = await messageReaches(sut.api, created.body.id, 'sent');
    assert.equal(done.recipient_count, 2);
    assert.equal(done.segment_id, null);
    for (const phone of vips.phones) assert.equal(sut.system.fake.messagesTo(phone).length, 1);
    for (const phone of others.phones) assert.equal(sut.system.fake.messagesTo(phone).length, 0);
  });

  it('a segment with no match sends nothing and ends with zero recipients', async () => {
    await tagged(2, ['other']);
    const none = await segment({ tags: ['nobody'] });
    const created = await sut.api.post('/whatsapp/', {
      segment_id: none.id,
      template: { name: 'promo', language: 'en' },
    });
    const done = await messageReaches(sut.api, created.body.id, 'sent');
    assert.equal(done.recipient_count, 0);
    assert.equal(sut.system.fake.requests.length, 0);
  });

  it('a status can target a segment', async () => {
    const vips = await tagged(2, ['vip']);
    const others = await tagged(1, ['other']);
    const vip = await segment({ tags: ['vip'] });
    const created = await sut.api.post('/status/', { text: 'Status for VIPs', segment_id: vip.id });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.segment_id, vip.id);
    const published = await eventually(
      async () => {
        const { body } = await sut.api.get(`/status/${created.body.id}/`);
        return body.status === 'published' ? body : undefined;
      },
      { what: 'status published', timeoutMs: 30_000 },
    );
    assert.equal(published.recipient_count, 2);
    for (const phone of vips.phones) assert.equal(sut.system.fake.messagesTo(phone).length, 1);
    assert.equal(sut.system.fake.messagesTo(others.phones[0]).length, 0);
  });

  it('refuses an unknown segment, and a segment together with another audience', async () => {
    assert.equal(
      assertError(await sut.api.post('/whatsapp/', { segment_id: 999999, message: 'x' }), 400, 'validation_error')
        .details?.[0].path,
      'segment_id',
    );
    assertError(
      await sut.api.post('/whatsapp/', { segment_id: 1, group_id: 1, message: 'x' }),
      400,
      'validation_error',
    );
    assert.equal(
      assertError(await sut.api.post('/status/', { text: 'x', segment_id: 999999 }), 400, 'validation_error')
        .details?.[0].path,
      'segment_id',
    );
    assertError(await sut.api.post('/status/', { text: 'x', segment_id: 1, group_ids: [1] }), 400, 'validation_error');
    assert.equal(Number((await sut.system.db('messages').count({ n: '*' }))[0].n), 0);
    assert.equal(Number((await sut.system.db('statuses').count({ n: '*' }))[0].n), 0);
  });
});
