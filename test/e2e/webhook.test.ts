import assert from 'node:assert/strict';
import { extractEvents } from '../../src/api/webhooks/events';
import { webhookBodySchema } from '../../src/api/webhooks/schemas';
import { inboundText, newWamid, sender, statusEvent, textMessage, webhookBody } from '../fakes/webhook-bodies';
import { testPhone } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { eventually, staysFalse } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';
import { inboundMessages, outboundMessages, postWebhook, autoReplyResult } from '../helpers/webhooks';

describe('the 360Dialog webhook', () => {
  const sut = useSystem();

  const keywordRule = () =>
    sut.api.post('/auto-replies/', {
      name: 'prices',
      match: 'contains',
      pattern: 'price',
      reply: { message: 'Our prices: https://example.com/prices' },
    });

  it('answers a keyword message once, stores it as inbound and makes the sender a WhatsApp contact', async () => {
    assert.equal((await keywordRule()).status, 201);
    const phone = testPhone();
    const { body, wamid } = inboundText('What is the PRICE of a haircut?', { from: phone, name: 'Ana' });

    const response = await postWebhook(sut.api, body);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(response.body, { received: { messages: 1, statuses: 0, ignored: 0 } });

    await eventually(() => sut.system.fake.messagesTo(phone).length === 1, {
      what: 'the auto-reply to reach 360Dialog',
    });
    assert.deepEqual(sut.system.fake.messagesTo(phone)[0].body.text, {
      body: 'Our prices: https://example.com/prices',
      preview_url: false,
    });

    const [inbound] = await inboundMessages(sut.api);
    assert.equal(inbound.direction, 'inbound');
    assert.equal(inbound.status, 'received');
    assert.equal(inbound.provider_message_id, wamid);
    assert.equal(inbound.message, 'What is the PRICE of a haircut?');
    assert.equal(inbound.phone_number, phone);
    assert.equal(inbound.sender.name, 'Ana');
    assert.equal(inbound.workflow_id, `inbound-${wamid}`);

    const reply = await eventually(async () => (await outboundMessages(sut.api)).find((m) => m.status === 'sent'), {
      what: 'the reply row to be sent',
    });
    assert.equal(reply.reply_to_id, inbound.id);
    assert.equal(reply.auto_reply.kind, 'rule');
    assert.equal(reply.contact_id, inbound.contact_id);

    const contact = (await sut.api.get(`/contacts/${inbound.contact_id}/`)).body;
    assert.equal(contact.source, 'whatsapp');
    assert.equal(contact.name, 'Ana');
    assert.equal(contact.phone_number, phone);
  });

  it('stores one message and sends one reply when the same webhook arrives 5 times, one after another and at once', async () => {
    await keywordRule();
    const [first, second] = [testPhone(), testPhone()];
    const sequential = inboundText('price?', { from: first });
    for (let i = 0; i < 5; i++) assert.equal((await postWebhook(sut.api, sequential.body)).status, 200);
    const concurrent = inboundText('price?', { from: second });
    const answers = await Promise.all(Array.from({ length: 5 }, () => postWebhook(sut.api, concurrent.body)));
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200, 200, 200],
    );

    await eventually(
      () => sut.system.fake.messagesTo(first).length === 1 && sut.system.fake.messagesTo(second).length === 1,
      { what: 'both replies' },
    );
    await staysFalse(
      () => sut.system.fake.messagesTo(first).length > 1 || sut.system.fake.messagesTo(second).length > 1,
      1_500,
      'a second reply',
    );
    const stored = await inboundMessages(sut.api);
    assert.deepEqual(stored.map((m) => m.provider_message_id).sort(), [sequential.wamid, concurrent.wamid].sort());
    const { rows } = await sut.system.db.raw(`SELECT count(*)::int AS n FROM contacts`);
    assert.equal(rows[0].n, 2);
  });

  it('a replay after Temporal has forgotten the first run stores nothing new and sends nothing again', async () => {
    await keywordRule();
    const phone = testPhone();
    const { body, wamid } = inboundText('price', { from: phone });
    await postWebhook(sut.api, body);
    const first = await autoReplyResult(sut.system.temporal, wamid);
    await eventually(() => sut.system.fake.messagesTo(phone).length === 1, { what: 'the reply' });
    // As if the workflow id had left Temporal's retention: the same event in a fresh run.
    const [event] = extractEvents(webhookBodySchema.parse(body)).messages;
    const replay = await sut.system.temporal.workflow.execute('autoReply', {
      workflowId: `replay-${wamid}`,
      taskQueue: sut.system.config.temporal.taskQueue,
      args: [event],
    });
    assert.equal((replay as any).plan.messageId, (first as any).plan.messageId);
    assert.equal((await inboundMessages(sut.api)).length, 1);
    assert.equal(sut.system.fake.messagesTo(phone).length, 1);
  });

  it('matches a sender to the contact stored under the same number, and keeps their WhatsApp user id', async () => {
    const phone = testPhone();
    const existing = await sut.api.post('/contacts/', { name: 'Known Customer', phone_number: phone });
    const userId = `BR.${Date.now()}`;
    const message = textMessage('hello', { from: phone });
    assert.equal(
      (
        await postWebhook(
          sut.api,
          webhookBody({ contacts: [sender({ from: phone, userId, name: 'Nickname' })], messages: [message] }),
        )
      ).status,
      200,
    );
    const [inbound] = await eventually(
      async () => {
        const rows = await inboundMessages(sut.api);
        return rows.length === 1 ? rows : undefined;
      },
      { what: 'the inbound message' },
    );
    assert.equal(inbound.contact_id, existing.body.id);
    const contact = (await sut.api.get(`/contacts/${existing.body.id}/`)).body;
    assert.deepEqual([contact.name, contact.source, contact.whatsapp_user_id], ['Known Customer', 'api', userId]);
    assert.equal((await sut.api.get('/contacts/')).body.count, 1);
  });

  it('refuses a wrong or missing secret with 401 and processes nothing', async () => {
    await keywordRule();
    const phone = testPhone();
    const { body } = inboundText('price', { from: phone });
    assertError(await postWebhook(sut.api, body, 'not-the-secret'), 401, 'unauthorized');
    assertError(await postWebhook(sut.api, body, null), 401, 'unauthorized');
    await staysFalse(async () => (await inboundMessages(sut.api)).length > 0, 1_000, 'a stored message');
    assert.equal(sut.system.fake.requests.length, 0);
  });

  it('answers 400 in the error shape to malformed JSON and to bodies that are not WhatsApp webhooks', async () => {
    const headers = { 'x-webhook-secret': 'test-webhook-secret', 'content-type': 'application/json' };
    assertError(
      await sut.api.request('POST', '/webhooks/360dialog', {
        rawBody: '{"object": "whatsapp_business_account", ',
        headers,
      }),
      400,
      'invalid_json',
    );
    assertError(await postWebhook(sut.api, { hello: 'world' }), 400, 'invalid_webhook');
    assertError(await postWebhook(sut.api, { object: 'page', entry: [] }), 400, 'invalid_webhook');
    assertError(
      await postWebhook(sut.api, webhookBody({ messages: [{ from: '4915112345678', type: 'text' }] })),
      400,
      'invalid_webhook',
    );
    const health = await sut.api.get('/health');
    assert.equal(health.status, 200);
  });

  it('processes a batch body with 3 messages and 5 statuses in full', async () => {
    await sut.api.post('/auto-replies/', {
      name: 'fallback',
      match: 'any',
      reply: { message: 'Thanks, we will get back to you.' },
    });
    const phones = [testPhone(), testPhone(), testPhone()];
    const sentIds: { id: number; phone: string }[] = [];
    for (const phone of phones.slice(0, 2)) {
      const created = await sut.api.post('/whatsapp/', { phone_number: phone, message: 'Your order shipped' });
      sentIds.push({ id: created.body.id, phone });
    }
    const sent = await eventually(
      async () => {
        const rows = await Promise.all(sentIds.map(async ({ id }) => (await sut.api.get(`/whatsapp/${id}/`)).body));
        return rows.every((r) => r.status === 'sent') ? rows : undefined;
      },
      { what: 'the outbound messages to be sent' },
    );
    sut.system.fake.reset();

    const messages = phones.map((phone, i) => textMessage(`hello ${i}`, { from: phone }));
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        webhookBody({
          contacts: [sender({ from: phones[0] })],
          messages: [messages[0]],
          statuses: [statusEvent({ wamid: sent[0].provider_message_id, status: 'delivered' })],
        }).entry[0],
        {
          id: '102290129340398',
          changes: [
            webhookBody({
              contacts: [sender({ from: phones[1] }), sender({ from: phones[2] })],
              messages: [messages[1], messages[2]],
              statuses: [
                statusEvent({ wamid: sent[0].provider_message_id, status: 'read' }),
                statusEvent({ wamid: sent[1].provider_message_id, status: 'delivered' }),
                statusEvent({ wamid: sent[1].provider_message_id, status: 'sent' }),
                statusEvent({ wamid: newWamid(), status: 'delivered' }),
              ],
            }).entry[0].changes[0],
          ],
        },
      ],
    };
    const response = await postWebhook(sut.api, body);
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, { received: { messages: 3, statuses: 5, ignored: 0 } });

    await eventually(async () => (await inboundMessages(sut.api)).length === 3, { what: '3 inbound messages' });
    await eventually(() => phones.every((p) => sut.system.fake.messagesTo(p).length === 1), {
      what: 'a reply to each sender',
    });
    await eventually(async () => (await sut.api.get(`/whatsapp/${sent[0].id}/`)).body.status === 'read', {
      what: 'first message read',
    });
    await eventually(async () => (await sut.api.get(`/whatsapp/${sent[1].id}/`)).body.status === 'delivered', {
      what: 'second message delivered',
    });
  });
});
