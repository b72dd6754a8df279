import assert from 'node:assert/strict';
import { buttonMessage, inboundFrom, inboundText, interactiveReply } from '../fakes/webhook-bodies';
import { assertError } from '../helpers/assert-error';
import { testPhone } from '../helpers/api-client';
import { eventually, staysFalse } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';
import { inboundMessages, postWebhook } from '../helpers/webhooks';

const menu = {
  type: 'button',
  body: 'Hi! What would you like to know?',
  buttons: [
    { id: 'prices', title: 'Prices' },
    { id: 'hours', title: 'Opening hours' },
  ],
};

describe('button and list taps: stored, and answered by match "button" rules', () => {
  const sut = useSystem();

  const rule = async (body: Record<string, unknown>) => {
    const created = await sut.api.post('/auto-replies/', body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  };
  const inboundFromPhone = async (phone: string, count: number) =>
    eventually(
      async () => {
        const rows = (await inboundMessages(sut.api)).filter((m) => m.phone_number === phone);
        return rows.length === count ? rows : undefined;
      },
      { what: `${count} inbound from ${phone}` },
    );

  it('stores the chosen id and title of a button_reply, a list_reply and a template quick reply', async () => {
    const phone = testPhone();
    for (const message of [
      interactiveReply('button_reply', 'prices', 'Prices', { from: phone }),
      interactiveReply('list_reply', 'espresso', 'Espresso', { from: phone }),
      buttonMessage('Stop promotions', { from: phone }),
    ]) {
      assert.equal((await postWebhook(sut.api, inboundFrom(message, { from: phone }))).status, 200);
    }
    const rows = await inboundFromPhone(phone, 3);
    const taps = rows
      .map((m) => ({ type: m.type, reply: m.reply, message: m.message }))
      .sort((a, b) => (a.reply.id < b.reply.id ? -1 : 1));
    assert.deepEqual(taps, [
      { type: 'button', reply: { id: 'STOP PROMOTIONS', title: 'Stop promotions' }, message: 'Stop promotions' },
      { type: 'interactive', reply: { id: 'espresso', title: 'Espresso' }, message: 'Espresso' },
      { type: 'interactive', reply: { id: 'prices', title: 'Prices' }, message: 'Prices' },
    ]);
    const stored: { reply_id: string }[] = await sut.system
      .db('messages')
      .where({ direction: 'inbound' })
      .select('reply_id');
    assert.deepEqual(stored.map((r) => r.reply_id).sort(), ['STOP PROMOTIONS', 'espresso', 'prices']);
  });

  it('a small menu end to end: a greeting gets buttons, a tap on "prices" gets the price list', async () => {
    await rule({ name: 'menu', match: 'exact', pattern: 'hi', reply: { interactive: menu } });
    await rule({
      name: 'price list',
      match: 'button',
      pattern: 'prices',
      reply: { message: 'Espresso 2 EUR, latte 3 EUR.' },
    });
    // A text that merely says the id must not count as a tap.
    await rule({ name: 'fallback', match: 'any', priority: -1, reply: { message: 'Type hi for the menu.' } });
    const phone = testPhone();

    assert.equal((await postWebhook(sut.api, inboundText('Hi', { from: phone }).body)).status, 200);
    await eventually(() => sut.system.fake.messagesTo(phone).length === 1, { what: 'the menu' });
    const [menuRequest] = sut.system.fake.messagesTo(phone);
    assert.equal(menuRequest.body.type, 'interactive');
    assert.deepEqual(menuRequest.body.interactive, {
      type: 'button',
      body: { text: 'Hi! What would you like to know?' },
      action: {
        buttons: [
          { type: 'reply', reply: { id: 'prices', title: 'Prices' } },
          { type: 'reply', reply: { id: 'hours', title: 'Opening hours' } },
        ],
      },
    });

    const tap = interactiveReply('button_reply', 'prices', 'Prices', { from: phone });
    assert.equal((await postWebhook(sut.api, inboundFrom(tap, { from: phone }))).status, 200);
    await eventually(() => sut.system.fake.messagesTo(phone).length === 2, { what: 'the price list' });
    assert.deepEqual(sut.system.fake.messagesTo(phone)[1].body.text, {
      body: 'Espresso 2 EUR, latte 3 EUR.',
      preview_url: false,
    });

    assert.equal((await postWebhook(sut.api, inboundText('prices', { from: phone }).body)).status, 200);
    await eventually(() => sut.system.fake.messagesTo(phone).length === 3, { what: 'the fallback' });
    assert.deepEqual(sut.system.fake.messagesTo(phone)[2].body.text?.body, 'Type hi for the menu.');
    await staysFalse(() => sut.system.fake.messagesTo(phone).length > 3, 800, 'an extra reply');

    const replies = (await sut.api.get('/whatsapp/?page_size=50')).body.results.filter(
      (m: any) => m.phone_number === phone,
    );
    assert.deepEqual(replies.map((m: any) => m.type).sort(), ['interactive', 'text', 'text']);
  });

  it('refuses a button rule without a pattern and an interactive reply over the limits, naming the field', async () => {
    const bad = async (body: unknown, path: string) => {
      const error = assertError(await sut.api.post('/auto-replies/', body), 400, 'validation_error');
      assert.ok(
        error.details?.some((d) => d.path.startsWith(path)),
        `${path} not named: ${JSON.stringify(error.details)}`,
      );
    };
    await bad({ name: 'no id', match: 'button', reply: { message: 'x' } }, 'pattern');
    await bad(
      {
        name: 'long title',
        match: 'any',
        reply: { interactive: { ...menu, buttons: [{ id: 'a', title: 'x'.repeat(21) }] } },
      },
      'reply',
    );
  });
});
