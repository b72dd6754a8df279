import assert from 'node:assert/strict';
import { inboundText } from '../fakes/webhook-bodies';
import { testPhone } from '../helpers/api-client';
import { waitForStatus } from '../helpers/messages';
import { eventually, staysFalse } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';
import { inboundMessages, postWebhook } from '../helpers/webhooks';

describe('opting out and back in by WhatsApp', () => {
  const sut = useSystem();
  beforeEach(async () => {
    // A catch-all rule: the opt-out words must win over it.
    await sut.api.post('/auto-replies/', {
      name: 'fallback',
      match: 'any',
      priority: 100,
      reply: { message: 'Thanks for your message!' },
    });
  });

  const write = async (phone: string, text: string) => {
    const { body, wamid } = inboundText(text, { from: phone, name: 'Bea' });
    assert.equal((await postWebhook(sut.api, body)).status, 200);
    return wamid;
  };
  const textsTo = (phone: string) => sut.system.fake.messagesTo(phone).map((r) => r.body.text?.body);
  const contactOf = async (phone: string) =>
    (await sut.api.get(`/contacts/?search=${encodeURIComponent(phone)}`)).body.results[0];

  it('STOP (any case, with accents) opts out with one confirmation; nothing reaches the contact until START', async () => {
    const phone = testPhone();
    await write(phone, ' Arrêt ');
    await eventually(() => textsTo(phone).length === 1, { what: 'the opt-out confirmation' });
    assert.match(textsTo(phone)[0], /unsubscribed/);
    const contact = await contactOf(phone);
    assert.equal(contact.opted_out, true);
    assert.ok(contact.opted_out_at);

    // A message and a broadcast to their group: neither reaches them, and the rule stays silent too.
    const other = await sut.api.post('/contacts/', {
      name: 'Other',
      phone_number: testPhone(),
      group_id: contact.group_id,
    });
    assert.equal(other.status, 201, JSON.stringify(other.body));
    const direct = await sut.api.post('/whatsapp/', { phone_number: phone, message: 'Sale today!' });
    const failed = await waitForStatus(sut.api, direct.body.id, 'failed');
    assert.equal(failed.error.code, 'opted_out');
    const broadcast = await sut.api.post('/whatsapp/', { group_id: contact.group_id, message: 'Big news!' });
    assert.equal(broadcast.status, 201, JSON.stringify(broadcast.body));
    await eventually(() => sut.system.fake.messagesTo(other.body.phone_number).length === 1, {
      what: 'the broadcast to the other member',
    });
    await write(phone, 'hello?');
    await write(phone, 'STOP');
    await eventually(async () => (await inboundMessages(sut.api)).length === 3, { what: 'the later inbound messages' });
    await staysFalse(() => textsTo(phone).length > 1, 1_500, 'a message to an opted-out contact');

    await write(phone, 'start');
    await eventually(() => textsTo(phone).length === 2, { what: 'the opt-in confirmation' });
    assert.match(textsTo(phone)[1], /subscribed again/);
    assert.equal((await contactOf(phone)).opted_out, false);
    const again = await sut.api.post('/whatsapp/', { phone_number: phone, message: 'Welcome back' });
    await waitForStatus(sut.api, again.body.id, 'sent');
    assert.deepEqual(textsTo(phone), [textsTo(phone)[0], textsTo(phone)[1], 'Welcome back']);
  });

  it('only the exact word counts: "please do not stop" is an ordinary message', async () => {
    const phone = testPhone();
    await write(phone, 'please do not stop');
    await eventually(() => textsTo(phone).length === 1, { what: 'the rule reply' });
    assert.deepEqual(textsTo(phone), ['Thanks for your message!']);
    assert.equal((await contactOf(phone)).opted_out, false);
  });

  it('STOPP, BAJA and UNSUBSCRIBE opt out too, each confirmed once even when delivered twice', async () => {
    for (const word of ['STOPP', 'baja', 'Unsubscribe!']) {
      const phone = testPhone();
      const { body } = inboundText(word, { from: phone });
      await Promise.all([postWebhook(sut.api, body), postWebhook(sut.api, body)]);
      await eventually(async () => (await contactOf(phone))?.opted_out === true, { what: `${word} to opt out` });
      await eventually(() => textsTo(phone).length === 1, { what: `${word} confirmation` });
    }
    await staysFalse(() => sut.system.fake.requests.length > 3, 1_000, 'a second confirmation');
  });
});
