import assert from 'node:assert/strict';
import { groupWithMembers, messageReaches } from '../helpers/broadcasts';
import { staysFalse } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';

describe('broadcasting to a group', () => {
  const sut = useSystem();

  it('reaches every opted-in member exactly once, skips opted-out ones, and counts per state', async () => {
    const { group, optedIn, optedOut } = await groupWithMembers(sut.system.db, sut.api, 12, 3);
    const created = await sut.api.post('/whatsapp/', { group_id: group.id, message: 'Big news!' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.kind, 'broadcast');
    assert.equal(created.body.phone_number, null);
    assert.equal(created.body.workflow_id, `message-${created.body.id}`);

    const done = await messageReaches(sut.api, created.body.id, 'sent');
    assert.equal(done.recipient_count, 9);
    assert.deepEqual(done.counts, {
      scheduled: 0,
      sending: 0,
      sent: 9,
      delivered: 0,
      read: 0,
      failed: 0,
      cancelled: 0,
      deferred: 0,
      fallback: 0,
      skipped: 0,
    });
    for (const phone of optedIn) {
      const got = sut.system.fake.messagesTo(phone);
      assert.equal(got.length, 1, `${phone} got ${got.length}`);
      assert.deepEqual(got[0].body.text, { body: 'Big news!', preview_url: false });
    }
    for (const phone of optedOut) assert.equal(sut.system.fake.messagesTo(phone).length, 0);

    const top = await sut.api.get('/whatsapp/');
    assert.deepEqual(
      top.body.results.map((m: any) => m.id),
      [created.body.id],
      'children stay out of the default list',
    );
    const children = await sut.api.get(`/whatsapp/?parent_id=${created.body.id}&page_size=50`);
    assert.equal(children.body.count, 9);
    assert.ok(
      children.body.results.every(
        (m: any) => m.parent_id === created.body.id && m.status === 'sent' && m.group_id === group.id,
      ),
    );
  });

  it('refuses an unknown group and a second recipient field', async () => {
    const unknown = await sut.api.post('/whatsapp/', { group_id: 999999, message: 'x' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.details[0].path, 'group_id');
    const both = await sut.api.post('/whatsapp/', { group_id: 1, phone_number: '+4915112345678', message: 'x' });
    assert.equal(both.status, 400);
  });

  it('a scheduled broadcast cancelled by DELETE never sends', async () => {
    const { group } = await groupWithMembers(sut.system.db, sut.api, 3);
    const at = new Date(Date.now() + 1_500).toISOString();
    const created = await sut.api.post('/whatsapp/', { group_id: group.id, message: 'Later', scheduled_at: at });
    assert.equal(created.body.status, 'scheduled');
    const cancelled = await sut.api.delete(`/whatsapp/${created.body.id}/`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    await staysFalse(() => sut.system.fake.requests.length > 0, 2_500, 'a cancelled broadcast sent something');
    assert.equal((await sut.api.get(`/whatsapp/${created.body.id}/`)).body.recipient_count, null);
  });

  it('writes recipients at its time: a member who joins after scheduling is included', async () => {
    const { group, optedIn } = await groupWithMembers(sut.system.db, sut.api, 2);
    const created = await sut.api.post('/whatsapp/', {
      group_id: group.id,
      template: { name: 'promo', language: 'en' },
      scheduled_at: new Date(Date.now() + 1_500).toISOString(),
    });
    await sut.system.db('groups').where({ id: group.id }).update({ capacity: 3 });
    const late = await sut.api.post('/contacts/', { name: 'Late', phone_number: '+4915199900001', group_id: group.id });
    assert.equal(late.status, 201, JSON.stringify(late.body));
    const done = await messageReaches(sut.api, created.body.id, 'sent');
    assert.equal(done.counts.sent, 3);
    for (const phone of [...optedIn, '+4915199900001']) assert.equal(sut.system.fake.messagesTo(phone).length, 1);
  });
});
