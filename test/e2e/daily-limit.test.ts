import assert from 'node:assert/strict';
import { groupWithMembers, messageReaches } from '../helpers/broadcasts';
import { eventually } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';

/**
 * Meta's daily unique-recipient limit with the window shortened to 10 s (MESSAGING_LIMIT_WINDOW):
 * 30 recipients against a limit of 20 send 20, the rest wait as `deferred`, and go by themselves
 * once the window has moved (a durable timer in the broadcast workflow).
 */
describe('the daily unique-recipient limit (MESSAGING_LIMIT_PER_DAY)', () => {
  const sut = useSystem({ MESSAGING_LIMIT_PER_DAY: '20', MESSAGING_LIMIT_WINDOW: '10s', SERVICE_WINDOW_POLICY: 'off' });

  it('sends what fits, defers the rest with its time, and sends it after the window moves', async () => {
    const { group, optedIn } = await groupWithMembers(sut.system.db, sut.api, 30);
    const created = await sut.api.post('/whatsapp/', {
      group_id: group.id,
      template: { name: 'monthly_news', language: 'en' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    const templatesSent = () =>
      sut.system.fake.requests.filter((r) => r.path === '/messages' && r.body?.type === 'template').length;

    const held = await eventually(
      async () => {
        const { body } = await sut.api.get(`/whatsapp/${id}/`);
        return body.counts.sent === 20 && body.counts.deferred === 10 ? body : undefined;
      },
      { what: '20 sent, 10 deferred', timeoutMs: 20_000 },
    );
    assert.equal(held.status, 'sending');
    assert.equal(templatesSent(), 20);
    const deferred = (await sut.api.get(`/whatsapp/?parent_id=${id}&status=deferred&page_size=50`)).body.results;
    assert.equal(deferred.length, 10);
    assert.equal(deferred[0].error.code, 'messaging_limit');
    assert.match(deferred[0].error.message, /daily limit/);
    assert.ok(Date.parse(deferred[0].scheduled_at) > Date.now(), 'deferred until a time ahead');
    // The deferral shows in the Temporal Web UI (the memo is written right after the rows).
    await eventually(
      async () => {
        const memo = (await sut.system.temporal.workflow.getHandle(created.body.workflow_id).describe()).memo as any;
        return memo?.deferred?.code === 'messaging_limit';
      },
      { what: 'the deferral in the workflow memo' },
    );

    const done = await messageReaches(sut.api, id, 'sent', 45_000);
    assert.equal(done.counts.sent, 30);
    assert.equal(done.counts.deferred, 0);
    for (const phone of optedIn) assert.equal(sut.system.fake.messagesTo(phone).length, 1, `${phone} got exactly one`);
  });
});
