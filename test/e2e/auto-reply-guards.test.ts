import assert from 'node:assert/strict';
import {
  BUSINESS_NUMBER,
  inboundText,
  sender,
  systemMessage,
  textMessage,
  unixNow,
  webhookBody,
} from '../fakes/webhook-bodies';
import { testPhone } from '../helpers/api-client';
import { eventually, staysFalse } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';
import { inboundMessages, postWebhook, autoReplyResult } from '../helpers/webhooks';

describe('auto-reply loop and spam guards', () => {
  const sut = useSystem({ MARK_INBOUND_READ: 'true', INBOUND_MAX_AGE: '30m', AUTO_REPLY_COOLDOWN: '2s' });
  beforeEach(async () => {
    await sut.api.post('/auto-replies/', { name: 'fallback', match: 'any', reply: { message: 'Thanks!' } });
  });

  const workflowResult = (wamid: string) => autoReplyResult(sut.system.temporal, wamid);
  const post = async (body: unknown) => assert.equal((await postWebhook(sut.api, body)).status, 200);

  it('stores but does not answer a message older than INBOUND_MAX_AGE (a webhook replayed hours later)', async () => {
    const phone = testPhone();
    const { body, wamid } = inboundText('hello', { from: phone, timestamp: unixNow(-2 * 3600) });
    await post(body);
    assert.deepEqual((await workflowResult(wamid)).plan, { action: 'none', reason: 'too_old' });
    assert.equal((await inboundMessages(sut.api)).length, 1);
    assert.equal(sut.system.fake.messagesTo(phone).length, 0);
  });

  it('never answers system messages nor our own echoes', async () => {
    const phone = testPhone();
    const system1 = systemMessage({ from: phone });
    const echo = textMessage('Thanks!', { from: BUSINESS_NUMBER });
    await post(webhookBody({ contacts: [sender({ from: phone })], messages: [system1] }, { messages: [echo] }));
    assert.deepEqual((await workflowResult(system1.id)).plan, { action: 'none', reason: 'system_message' });
    assert.deepEqual((await workflowResult(echo.id)).plan, { action: 'none', reason: 'own_echo' });
    const stored = await inboundMessages(sut.api);
    assert.deepEqual(
      stored.map((m) => m.type),
      ['system'],
      'the echo is not stored as a customer message',
    );
    assert.equal(sut.system.fake.requests.filter((r) => r.body?.to).length, 0);
  });

  it('keeps a sender known only by a business-scoped user id, without a phone number, and does not try to answer', async () => {
    const userId = `BR.${Date.now()}`;
    const message = textMessage('hi', { userId });
    await post(webhookBody({ contacts: [sender({ userId, name: 'Username Only' })], messages: [message] }));
    assert.deepEqual((await workflowResult(message.id)).plan, { action: 'none', reason: 'no_phone_number' });
    const [inbound] = await inboundMessages(sut.api);
    assert.equal(inbound.phone_number, null);
    assert.equal(inbound.sender.user_id, userId);
    const contact = (await sut.api.get(`/contacts/${inbound.contact_id}/`)).body;
    assert.deepEqual(
      [contact.name, contact.phone_number, contact.whatsapp_user_id, contact.source],
      ['Username Only', null, userId, 'whatsapp'],
    );
  });

  it('stores a message whose text and profile name carry NUL characters (which Postgres cannot hold) without them', async () => {
    const phone = testPhone();
    const { body, wamid } = inboundText('hi\u0000 there', { from: phone, name: 'Nu\u0000ll' });
    await post(body);
    assert.equal((await workflowResult(wamid)).plan.action, 'reply');
    const [inbound] = await inboundMessages(sut.api);
    assert.deepEqual([inbound.message, inbound.sender.name], ['hi there', 'Null']);
  });

  it('answers the same contact and rule again once AUTO_REPLY_COOLDOWN has passed', async () => {
    const phone = testPhone();
    const say = async (text: string) => {
      const { body, wamid } = inboundText(text, { from: phone });
      await post(body);
      return (await workflowResult(wamid)).plan;
    };
    assert.equal((await say('one')).action, 'reply');
    assert.deepEqual(await say('two'), { action: 'none', reason: 'cooldown' });
    await eventually(
      async () => {
        const { rows } = await sut.system.db.raw(
          `SELECT 1 FROM auto_reply_cooldowns WHERE last_reply_at < now() - interval '2 seconds'`,
        );
        return rows.length === 1;
      },
      { what: 'the cooldown to pass' },
    );
    assert.equal((await say('three')).action, 'reply');
    await eventually(() => sut.system.fake.messagesTo(phone).length === 2, { what: 'two replies' });
  });

  it('marks inbound messages read when MARK_INBOUND_READ=true', async () => {
    const phone = testPhone();
    const { body, wamid } = inboundText('hello', { from: phone });
    await post(body);
    await eventually(
      () => sut.system.fake.requests.some((r) => r.body?.status === 'read' && r.body?.message_id === wamid),
      { what: 'the read receipt' },
    );
    await eventually(() => sut.system.fake.messagesTo(phone).length === 1, { what: 'the reply' });
    await staysFalse(
      () => sut.system.fake.requests.filter((r) => r.body?.message_id === wamid).length > 1,
      500,
      'a second read receipt',
    );
  });
});

describe('auto-reply with a read receipt 360Dialog does not answer', () => {
  // A 360Dialog timeout longer than the auto-reply step may take: the receipt must give up first.
  const sut = useSystem({ MARK_INBOUND_READ: 'true', D360_TIMEOUT_MS: '60000' });

  it('answers the customer without waiting out the hung receipt', async () => {
    await sut.api.post('/auto-replies/', { name: 'fallback', match: 'any', reply: { message: 'Thanks!' } });
    sut.system.fake.failNext(1, { kind: 'hang', ms: 60_000 });
    const phone = testPhone();
    const { body, wamid } = inboundText('hello', { from: phone });
    const posted = Date.now();
    assert.equal((await postWebhook(sut.api, body)).status, 200);
    await eventually(() => sut.system.fake.messagesTo(phone).length === 1, { timeoutMs: 20_000, what: 'the reply' });
    assert.ok(
      sut.system.fake.requests.some((r) => r.body?.status === 'read' && r.body?.message_id === wamid && r.at >= posted),
      'the receipt was asked for first',
    );
    assert.equal((await autoReplyResult(sut.system.temporal, wamid)).plan.action, 'reply');
  });
});
