import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { inboundText, statusEvent, webhookBody } from '../fakes/webhook-bodies';
import { assertError } from '../helpers/assert-error';
import { groupWithMembers } from '../helpers/broadcasts';
import { testPhone } from '../helpers/api-client';
import { startEventReceiver, type ReceivedEvent } from '../helpers/event-receiver';
import { waitForStatus } from '../helpers/messages';
import { eventually } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';
import { postWebhook } from '../helpers/webhooks';

/** The receiver's check, from the documented scheme with Node's crypto only (not our signing helper). */
function signatureValid(event: ReceivedEvent, secret: string): boolean {
  const header = String(event.headers['wa-signature'] ?? '');
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match || Math.abs(Date.now() / 1000 - Number(match[1])) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${event.raw}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
}

describe('signed event webhooks out', () => {
  const sut = useSystem({ EVENT_WEBHOOKS_ALLOW_PRIVATE: 'true', EVENT_WEBHOOKS_RETRY_BASE: '300ms' });
  let receiver: Awaited<ReturnType<typeof startEventReceiver>>;
  beforeEach(async () => {
    receiver = await startEventReceiver();
  });
  afterEach(() => receiver.close());

  const subscribe = async (events: string[]) => {
    const created = await sut.api.post('/event-subscriptions/', { url: receiver.url, events, description: 'CRM' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  };
  const deliveries = async (id: number) => (await sut.api.get(`/event-subscriptions/${id}/deliveries/`)).body.results;
  const receivedOf = (type: string) => receiver.received.filter((e) => e.body.type === type);

  it('delivers message.received signed, with an event id, and shows the attempt', async () => {
    const subscription = await subscribe(['message.received']);
    assert.match(subscription.secret, /^whsec_/);
    assert.equal(subscription.active, true);
    const fetched = (await sut.api.get(`/event-subscriptions/${subscription.id}/`)).body;
    assert.equal(fetched.secret, undefined, 'the secret is shown once');
    assert.equal((await sut.api.get('/event-subscriptions/')).body.count, 1);

    const phone = testPhone();
    assert.equal((await postWebhook(sut.api, inboundText('Do you deliver?', { from: phone }).body)).status, 200);
    const [event] = await eventually(
      () => (receivedOf('message.received').length > 0 ? receivedOf('message.received') : undefined),
      { what: 'the event', timeoutMs: 30_000 },
    );
    assert.ok(signatureValid(event, subscription.secret), `signature ${event.headers['wa-signature']}`);
    assert.ok(!signatureValid(event, `${subscription.secret}x`));
    assert.equal(event.headers['wa-event-id'], event.body.id);
    assert.equal(event.headers['content-type'], 'application/json');
    assert.equal(event.body.data.message.text, 'Do you deliver?');
    assert.equal(event.body.data.message.phone_number, phone);
    assert.equal(event.body.data.message.reply, null);

    const [delivery] = await eventually(
      async () =>
        (await deliveries(subscription.id))[0]?.status === 'delivered' ? deliveries(subscription.id) : undefined,
      { what: 'delivered' },
    );
    assert.equal(delivery.event_id, event.body.id);
    assert.equal(delivery.attempts, 1);
    assert.equal(delivery.response_code, 200);
    assert.equal(typeof delivery.latency_ms, 'number');
    assert.equal(delivery.next_retry_at, null);
  });

  it('retries through a subscriber outage, then redelivers on request with the same event id', async () => {
    const subscription = await subscribe(['message.status_changed']);
    receiver.state.status = 503;
    const phone = testPhone();
    const sent = await sut.api.post('/whatsapp/', { phone_number: phone, message: 'Your order shipped' });
    const message = await waitForStatus(sut.api, sent.body.id, 'sent');
    const status = statusEvent({ wamid: message.provider_message_id, status: 'delivered', recipient: phone });
    assert.equal((await postWebhook(sut.api, webhookBody({ statuses: [status] }))).status, 200);

    const failing = await eventually(
      async () => {
        const [d] = await deliveries(subscription.id);
        return d && d.attempts >= 2 && d.status === 'pending' ? d : undefined;
      },
      { what: 'two failed attempts', timeoutMs: 30_000 },
    );
    assert.equal(failing.response_code, 503);
    assert.ok(failing.next_retry_at, 'says when it retries');
    assert.ok((await sut.api.get(`/event-subscriptions/${subscription.id}/`)).body.failing_since);

    receiver.state.status = 200;
    const delivered = await eventually(
      async () => {
        const [d] = await deliveries(subscription.id);
        return d?.status === 'delivered' ? d : undefined;
      },
      { what: 'delivered after the outage', timeoutMs: 30_000 },
    );
    assert.equal(delivered.response_code, 200);
    const events = receivedOf('message.status_changed');
    assert.ok(events.length >= 3, `${events.length} attempts`);
    assert.equal(new Set(events.map((e) => e.headers['wa-event-id'])).size, 1, 'one event id on every attempt');
    assert.deepEqual(events.at(-1)?.body.data.message, {
      id: message.id,
      phone_number: phone,
      contact_id: null,
      status: 'delivered',
      previous_status: 'sent',
      provider_message_id: message.provider_message_id,
      error: null,
    });
    assert.equal((await sut.api.get(`/event-subscriptions/${subscription.id}/`)).body.failing_since, null);

    const before = receiver.received.length;
    const redelivered = await sut.api.post(
      `/event-subscriptions/${subscription.id}/deliveries/${delivered.id}/redeliver/`,
      {},
    );
    assert.equal(redelivered.status, 202, JSON.stringify(redelivered.body));
    await eventually(() => receiver.received.length > before, { what: 'the redelivery', timeoutMs: 30_000 });
    assert.equal(receiver.received.at(-1)?.headers['wa-event-id'], events[0].headers['wa-event-id']);
    assert.ok(signatureValid(receiver.received.at(-1) as ReceivedEvent, subscription.secret));
  });

  it('reports a finished broadcast and an opt-out', async () => {
    await subscribe(['broadcast.finished', 'contact.opted_out']);
    const { group } = await groupWithMembers(sut.system.db, sut.api, 2);
    const broadcast = await sut.api.post('/whatsapp/', { group_id: group.id, message: 'Sale today' });
    assert.equal(broadcast.status, 201);
    const [finished] = await eventually(
      () => (receivedOf('broadcast.finished').length ? receivedOf('broadcast.finished') : undefined),
      { what: 'broadcast.finished', timeoutMs: 30_000 },
    );
    assert.deepEqual(
      { ...finished.body.data.broadcast, counts: undefined },
      { id: broadcast.body.id, status: 'sent', group_id: group.id, recipient_count: 2, counts: undefined },
    );
    assert.equal(finished.body.data.broadcast.counts.sent, 2);

    const phone = testPhone();
    assert.equal((await postWebhook(sut.api, inboundText('STOP', { from: phone }).body)).status, 200);
    const [optOut] = await eventually(
      () => (receivedOf('contact.opted_out').length ? receivedOf('contact.opted_out') : undefined),
      { what: 'contact.opted_out', timeoutMs: 30_000 },
    );
    assert.equal(optOut.body.data.contact.phone_number, phone);
    assert.equal(optOut.body.data.contact.opted_out, true);
    assert.equal(
      receiver.received.filter((e) => e.body.type === 'message.received').length,
      0,
      'only the events subscribed to',
    );
  });

  it('disables a subscription that has failed for 24 hours and says so', async () => {
    const subscription = await subscribe(['message.received']);
    receiver.state.status = 500;
    await sut.system
      .db('event_subscriptions')
      .where({ id: subscription.id })
      .update({ failing_since: new Date(Date.now() - 25 * 3_600_000) });
    assert.equal((await postWebhook(sut.api, inboundText('hello', { from: testPhone() }).body)).status, 200);
    const disabled = await eventually(
      async () => {
        const { body } = await sut.api.get(`/event-subscriptions/${subscription.id}/`);
        return body.active === false ? body : undefined;
      },
      { what: 'disabled', timeoutMs: 30_000 },
    );
    assert.match(disabled.disabled_reason, /24 hours/);
    const [delivery] = await deliveries(subscription.id);
    assert.equal(delivery.status, 'failed');
    assertError(
      await sut.api.post(`/event-subscriptions/${subscription.id}/deliveries/${delivery.id}/redeliver/`, {}),
      409,
      'subscription_disabled',
    );
  });

  it('refuses bad subscriptions with a 400 naming the field, and deletes', async () => {
    const bad = async (body: unknown, path: string) => {
      const error = assertError(await sut.api.post('/event-subscriptions/', body), 400, 'validation_error');
      assert.ok(
        error.details?.some((d) => d.path === path),
        `${path} not named: ${JSON.stringify(error.details)}`,
      );
    };
    await bad({ url: receiver.url, events: [] }, 'events');
    await bad({ url: receiver.url, events: ['message.sent_to_mars'] }, 'events.0');
    await bad({ url: receiver.url, events: ['message.received', 'message.received'] }, 'events');
    await bad({ url: 'ftp://example.com/hook', events: ['message.received'] }, 'url');
    await bad({ url: receiver.url, events: ['message.received'], colour: 'red' }, 'colour');
    const subscription = await subscribe(['contact.opted_out']);
    assert.equal((await sut.api.delete(`/event-subscriptions/${subscription.id}/`)).status, 204);
    assertError(await sut.api.get(`/event-subscriptions/${subscription.id}/`), 404, 'not_found');
  });
});

describe('event webhook URLs without EVENT_WEBHOOKS_ALLOW_PRIVATE (SSRF)', () => {
  const sut = useSystem({}, { worker: false });

  it('refuses loopback, private, link-local and mapped addresses, and hosts that resolve to them', async () => {
    for (const url of [
      'http://127.0.0.1:8000/',
      'http://localhost/hook',
      'http://10.0.0.8/',
      'http://192.168.1.10/',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://0.0.0.0/',
      'file:///etc/passwd',
    ]) {
      const error = assertError(
        await sut.api.post('/event-subscriptions/', { url, events: ['message.received'] }),
        400,
        'validation_error',
      );
      assert.equal(error.details?.[0]?.path, 'url', url);
    }
    assert.equal((await sut.api.get('/event-subscriptions/')).body.count, 0);
  });
});
