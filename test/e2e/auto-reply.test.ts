import assert from 'node:assert/strict';
import { inboundText } from '../fakes/webhook-bodies';
import { testPhone } from '../helpers/api-client';
import { eventually, staysFalse } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';
import { inboundMessages, postWebhook } from '../helpers/webhooks';

/** HH:MM in UTC, `minutes` from now. */
const utcClock = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString().slice(11, 16);
const ALL_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

describe('the autoReply workflow choosing a rule', () => {
  const sut = useSystem();

  const rule = async (body: Record<string, unknown>) => {
    const created = await sut.api.post('/auto-replies/', body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  };
  const textsTo = (phone: string) =>
    sut.system.fake.messagesTo(phone).map((r) => r.body.text?.body ?? r.body.template?.name);
  /** Each text from a new customer; resolves with what each got back (once every reply is in). */
  async function conversation(texts: string[], expectedReplies: number, phone = testPhone()): Promise<string[]> {
    for (const text of texts)
      assert.equal((await postWebhook(sut.api, inboundText(text, { from: phone }).body)).status, 200);
    await eventually(
      async () => (await inboundMessages(sut.api)).filter((m) => m.phone_number === phone).length === texts.length,
      { what: 'inbound stored' },
    );
    await eventually(() => textsTo(phone).length >= expectedReplies, { what: `${expectedReplies} replies` });
    await staysFalse(() => textsTo(phone).length > expectedReplies, 800, 'an extra reply');
    return textsTo(phone);
  }

  it('the highest-priority matching rule wins; inactive rules and non-matches stay silent', async () => {
    await rule({
      name: 'generic',
      match: 'contains',
      pattern: 'order',
      priority: 1,
      reply: { message: 'About orders: see the website.' },
    });
    await rule({
      name: 'specific',
      match: 'starts_with',
      pattern: 'order status',
      priority: 10,
      reply: { message: 'Send your order number.' },
    });
    await rule({
      name: 'switched off',
      match: 'contains',
      pattern: 'order',
      priority: 99,
      active: false,
      reply: { message: 'never' },
    });
    assert.deepEqual(await conversation(['ORDER STATUS please'], 1), ['Send your order number.']);
    assert.deepEqual(await conversation(['where is my order'], 1), ['About orders: see the website.']);
    assert.deepEqual(await conversation(['good morning'], 0), []);
  });

  it('matches exact words and regexes (case-insensitive by default), and falls back to an any rule', async () => {
    await rule({ name: 'hi', match: 'exact', pattern: 'hi', priority: 5, reply: { message: 'Hello!' } });
    await rule({
      name: 'order number',
      match: 'regex',
      pattern: '^order\\s+#?\\d{4,}$',
      priority: 5,
      reply: { message: 'Looking it up.' },
    });
    await rule({
      name: 'case matters',
      match: 'exact',
      pattern: 'VIP',
      case_sensitive: true,
      priority: 5,
      reply: { template: { name: 'vip_welcome', language: 'en' } },
    });
    await rule({ name: 'fallback', match: 'any', priority: -1, reply: { message: 'We will answer soon.' } });
    assert.deepEqual(await conversation(['Hi'], 1), ['Hello!']);
    assert.deepEqual(await conversation(['Order #12345'], 1), ['Looking it up.']);
    assert.deepEqual(await conversation(['VIP'], 1), ['vip_welcome']);
    assert.deepEqual(await conversation(['vip'], 1), ['We will answer soon.']);
    assert.deepEqual(await conversation(['hi there'], 1), ['We will answer soon.']);
  });

  it('inside business hours answers normally, outside with the outside-hours reply or steps aside', async () => {
    const open = { time_zone: 'UTC', days: ALL_DAYS, start: utcClock(-60), end: utcClock(60) };
    const closed = { time_zone: 'UTC', days: ALL_DAYS, start: utcClock(120), end: utcClock(180) };
    await rule({
      name: 'open now',
      match: 'contains',
      pattern: 'table',
      reply: { message: 'Booked!' },
      business_hours: open,
      outside_hours_reply: { message: 'closed' },
    });
    await rule({
      name: 'closed now',
      match: 'contains',
      pattern: 'delivery',
      reply: { message: 'On its way' },
      business_hours: closed,
      outside_hours_reply: { message: 'We are closed; we deliver tomorrow.' },
    });
    await rule({
      name: 'closed, no outside reply',
      match: 'contains',
      pattern: 'call',
      priority: 3,
      reply: { message: 'Calling you' },
      business_hours: closed,
    });
    await rule({ name: 'fallback', match: 'any', priority: -1, reply: { message: 'Thanks!' } });
    assert.deepEqual(await conversation(['a table for two'], 1), ['Booked!']);
    assert.deepEqual(await conversation(['delivery?'], 1), ['We are closed; we deliver tomorrow.']);
    assert.deepEqual(await conversation(['please call me'], 1), ['Thanks!']);
  });

  it('answers a contact at most once per rule within AUTO_REPLY_COOLDOWN', async () => {
    await rule({ name: 'prices', match: 'contains', pattern: 'price', reply: { message: 'Prices: example.com' } });
    await rule({ name: 'hours', match: 'contains', pattern: 'open', reply: { message: 'Open 9-5' } });
    const phone = testPhone();
    // The four messages are handled concurrently, so the two replies may leave in either order.
    assert.deepEqual((await conversation(['price?', 'price again?', 'are you open?', 'PRICE!!'], 2, phone)).sort(), [
      'Open 9-5',
      'Prices: example.com',
    ]);
    const replies = (await sut.api.get('/whatsapp/?page_size=50')).body.results;
    assert.equal(replies.length, 2);
    const inbound = await inboundMessages(sut.api);
    for (const reply of replies)
      assert.ok(
        inbound.some((m) => m.id === reply.reply_to_id),
        'each reply is linked to the message it answers',
      );
  });
});
