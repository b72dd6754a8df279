import assert from 'node:assert/strict';
import { testPhone } from '../helpers/api-client';
import { inSeconds, waitForStatus } from '../helpers/messages';
import { eventually, staysFalse } from '../helpers/poll';
import { postWebhook } from '../helpers/webhooks';
import { useSystem } from '../helpers/use-system';
import { templateStatusUpdate } from '../fakes/webhook-bodies';

const NEWS = { name: 'news', language: 'en' };

/**
 * Single messages that WhatsApp's state holds back at their send instant: a template WhatsApp
 * paused (until it is approved again, or the message is cancelled), and the number's daily
 * unique-recipient limit (until the rolling window, 10 s here, frees a place).
 */
describe('single messages held at their send time', () => {
  const sut = useSystem({
    TEMPLATE_SYNC_INTERVAL: '1h',
    SERVICE_WINDOW_POLICY: 'off',
    PAUSE_RECHECK_INTERVAL: '10s',
    MESSAGING_LIMIT_PER_DAY: '3',
    MESSAGING_LIMIT_WINDOW: '10s',
  });
  const sendsTo = (phone: string) => sut.system.fake.messagesTo(phone).length;

  const sync = async (status: string) => {
    assert.equal((await postWebhook(sut.api, templateStatusUpdate(NEWS.name, NEWS.language, status))).status, 200);
    await eventually(
      async () => (await sut.api.get(`/templates/?name=${NEWS.name}`)).body.results[0]?.status === status,
      { what: `news ${status}`, timeoutMs: 30_000 },
    );
  };

  it('a paused template holds a scheduled message (deferred, with the reason) until it is approved again, or it is cancelled', async () => {
    const template = sut.system.fake.addTemplate({
      ...NEWS,
      category: 'MARKETING',
      components: [{ type: 'BODY', text: 'News!' }],
    });
    await sync('APPROVED');
    const [kept, dropped] = [testPhone(), testPhone()];
    const post = async (phone: string) => {
      const created = await sut.api.post('/whatsapp/', {
        phone_number: phone,
        template: NEWS,
        scheduled_at: inSeconds(3),
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return created.body.id as number;
    };
    const [keptId, droppedId] = [await post(kept), await post(dropped)];
    template.status = 'PAUSED';
    await sync('PAUSED');

    const held = await waitForStatus(sut.api, keptId, 'deferred', 20_000);
    assert.equal(held.error.code, 'template_paused');
    assert.match(held.error.message, /paused, disabled or rejected this template/);
    assert.ok(Date.parse(held.scheduled_at) > Date.now(), 'looked at again at a time ahead');
    // The Temporal Web UI says why it waits (the memo), and clears it once it went.
    const memoOf = async (id: number) =>
      (await sut.system.temporal.workflow.getHandle(`message-${id}`).describe()).memo as any;
    await eventually(async () => (await memoOf(keptId))?.deferred?.code === 'template_paused', {
      what: 'the hold in the memo',
    });
    await waitForStatus(sut.api, droppedId, 'deferred');
    const cancelled = await sut.api.delete(`/whatsapp/${droppedId}/`);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal(sut.system.fake.requests.filter((r) => r.path === '/messages').length, 0, 'nothing went to WhatsApp');

    template.status = 'APPROVED';
    await sync('APPROVED');
    await waitForStatus(sut.api, keptId, 'sent', 40_000);
    assert.equal(sendsTo(kept), 1);
    await eventually(async () => (await memoOf(keptId))?.deferred === undefined, {
      what: 'the hold gone from the memo',
    });
    await staysFalse(() => sendsTo(dropped) > 0, 1_000, 'the cancelled message was sent');
    assert.equal((await sut.api.get(`/whatsapp/${droppedId}/`)).body.status, 'cancelled');
  });

  it('the daily unique-recipient limit defers a single template until the window frees a place', async () => {
    sut.system.fake.addTemplate({ ...NEWS, category: 'UTILITY', components: [{ type: 'BODY', text: 'News!' }] });
    await sync('APPROVED');
    const [a, b, c, d] = [testPhone(), testPhone(), testPhone(), testPhone()];
    const send = async (phone: string) => {
      const created = await sut.api.post('/whatsapp/', { phone_number: phone, template: NEWS });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return created.body.id as number;
    };
    await waitForStatus(sut.api, await send(a), 'sent');
    for (const id of [await send(b), await send(c)]) await waitForStatus(sut.api, id, 'sent');

    const fourth = await send(d);
    const held = await waitForStatus(sut.api, fourth, 'deferred');
    assert.equal(held.error.code, 'messaging_limit');
    assert.match(held.error.message, /daily limit/);
    assert.ok(Date.parse(held.scheduled_at) > Date.now(), 'deferred until a time ahead');
    // Another template to someone already reached adds nobody to the count: it goes at once.
    await waitForStatus(sut.api, await send(a), 'sent');
    assert.equal(sendsTo(d), 0);

    const sent = await waitForStatus(sut.api, fourth, 'sent', 40_000);
    assert.equal(sent.error, null);
    assert.equal(sendsTo(d), 1);
  });
});
