import assert from 'node:assert/strict';
import { assertError } from '../helpers/assert-error';
import { groupWithMembers } from '../helpers/broadcasts';
import { eventually, staysFalse } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';

describe('status updates', () => {
  const sut = useSystem();

  const statusReaches = (id: number, status: string) =>
    eventually(
      async () => {
        const { body } = await sut.api.get(`/status/${id}/`);
        return body.status === status ? body : undefined;
      },
      { what: `status ${id} ${status}`, timeoutMs: 30_000 },
    );

  it('a scheduled status is published on time to its audience only, and then cannot be cancelled', async () => {
    const audience = await groupWithMembers(sut.system.db, sut.api, 3, 1);
    const outsiders = await groupWithMembers(sut.system.db, sut.api, 2);
    const scheduledAt = new Date(Date.now() + 2_000);
    const created = await sut.api.post('/status/', {
      text: 'Good morning!',
      scheduled_at: scheduledAt.toISOString(),
      group_ids: [audience.group.id],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, 'scheduled');
    assert.equal(created.body.workflow_id, `status-${created.body.id}`);
    assert.deepEqual(created.body.group_ids, [audience.group.id]);
    assert.equal(sut.system.fake.requests.length, 0);

    const published = await statusReaches(created.body.id, 'published');
    assert.equal(published.recipient_count, 2);
    assert.equal(published.counts.sent, 2);
    assert.ok(published.published_at);
    for (const phone of audience.optedIn) {
      const [request, ...more] = sut.system.fake.messagesTo(phone);
      assert.equal(more.length, 0);
      assert.deepEqual(request.body.text, { body: 'Good morning!', preview_url: false });
      assert.ok(request.at >= scheduledAt.getTime() - 1_000, `sent ${scheduledAt.getTime() - request.at} ms early`);
    }
    for (const phone of [...audience.optedOut, ...outsiders.optedIn])
      assert.equal(sut.system.fake.messagesTo(phone).length, 0);

    const broadcast = await sut.api.get(`/whatsapp/${published.message_id}/`);
    assert.equal(broadcast.body.kind, 'broadcast');
    assert.equal(broadcast.body.status, 'sent');
    // The row says published a workflow task before the workflow itself completes.
    const handle = sut.system.temporal.workflow.getHandle(`status-${created.body.id}`);
    await eventually(async () => (await handle.describe()).status.name === 'COMPLETED', {
      what: 'the status workflow to complete',
    });
    assertError(await sut.api.delete(`/status/${created.body.id}/`), 409, 'status_not_cancellable');
  });

  it('a cancelled status is never published', async () => {
    const { group } = await groupWithMembers(sut.system.db, sut.api, 2);
    const created = await sut.api.post('/status', {
      text: 'Never',
      scheduled_at: new Date(Date.now() + 1_500).toISOString(),
      group_ids: [group.id],
    });
    const cancelled = await sut.api.delete(`/status/${created.body.id}`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    await staysFalse(() => sut.system.fake.requests.length > 0, 3_000, 'a cancelled status was sent');
    const shown = await sut.api.get(`/status/${created.body.id}/`);
    assert.equal(shown.body.status, 'cancelled');
    assert.equal(shown.body.message_id, null);
    assert.equal((await sut.api.delete(`/status/${created.body.id}/`)).status, 200);
  });

  it('without group_ids it reaches every contact who has not opted out, with media captioned by the text', async () => {
    const a = await groupWithMembers(sut.system.db, sut.api, 2, 1);
    const b = await groupWithMembers(sut.system.db, sut.api, 2);
    const created = await sut.api.post('/status/', {
      text: 'New menu',
      media: { type: 'image', link: 'https://example.com/menu.jpg' },
    });
    assert.equal(created.status, 201);
    const published = await statusReaches(created.body.id, 'published');
    assert.equal(published.counts.sent, 3);
    for (const phone of [...a.optedIn, ...b.optedIn]) {
      assert.deepEqual(
        sut.system.fake.messagesTo(phone).map((r) => r.body.image),
        [{ link: 'https://example.com/menu.jpg', caption: 'New menu' }],
      );
    }
    const list = await sut.api.get('/status/');
    assert.equal(list.body.count, 1);
    assert.equal(list.body.results[0].status, 'published');
  });

  it('refuses unknown groups, a past time and empty text', async () => {
    const unknown = assertError(
      await sut.api.post('/status/', { text: 'x', group_ids: [999999] }),
      400,
      'validation_error',
    );
    assert.equal(unknown.details?.[0].path, 'group_ids');
    assertError(
      await sut.api.post('/status/', { text: 'x', scheduled_at: '2020-01-01T00:00:00Z' }),
      400,
      'validation_error',
    );
    assertError(await sut.api.post('/status/', { text: ' ' }), 400, 'validation_error');
    assertError(await sut.api.get('/status/424242/'), 404, 'not_found');
  });

  it('is documented in /openapi.json, which explains why a status is a broadcast', async () => {
    const doc = (await sut.api.get('/openapi.json')).body;
    const methods = (path: string) => Object.keys(doc.paths[path] ?? {}).sort();
    assert.deepEqual(methods('/status/'), ['get', 'post']);
    assert.deepEqual(methods('/status/{id}/'), ['delete', 'get']);
    assert.deepEqual(methods('/groups/'), ['get', 'post']);
    assert.deepEqual(methods('/groups/{id}/'), ['delete', 'get', 'patch']);
    assert.deepEqual(methods('/groups/{id}/contacts/'), ['get']);
    assert.match(doc.paths['/status/'].post.description, /cannot be posted through the WhatsApp Business Platform/);
    assert.match(doc.paths['/groups/'].get.description, /at most 8/);
  });
});
