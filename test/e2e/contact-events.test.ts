import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { inboundText } from '../fakes/webhook-bodies';
import { apiClient, testPhone } from '../helpers/api-client';
import { startEventReceiver, type ReceivedEvent } from '../helpers/event-receiver';
import { eventually } from '../helpers/poll';
import type { TestSystem } from '../helpers/system';
import { useSystem } from '../helpers/use-system';
import {
  e164,
  finishedRun,
  lead,
  startWordPressSystem,
  stopSyncWorkflow,
  syncNow,
  wpTime,
} from '../helpers/wordpress-sync';
import type { FakeWordPress } from '../fakes/fake-wordpress';
import { postWebhook } from '../helpers/webhooks';

/** The documented receiver check, with Node's crypto only (not our signing helper). */
function signatureValid(event: ReceivedEvent, secret: string): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(event.headers['wa-signature'] ?? ''));
  if (!match || Math.abs(Date.now() / 1000 - Number(match[1])) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${event.raw}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2], 'hex'));
}

const CONTACT_KEYS = [
  'created_at',
  'email',
  'group_id',
  'id',
  'name',
  'opted_out',
  'phone_number',
  'source',
  'tags',
  'updated_at',
];

describe('contact events: created, updated, opted out and in, from every path that writes contacts', () => {
  const sut = useSystem({ EVENT_WEBHOOKS_ALLOW_PRIVATE: 'true', EVENT_WEBHOOKS_RETRY_BASE: '300ms' });
  let receiver: Awaited<ReturnType<typeof startEventReceiver>>;
  let secret: string;
  beforeEach(async () => {
    receiver = await startEventReceiver();
    const created = await sut.api.post('/event-subscriptions/', {
      url: receiver.url,
      events: ['contact.created', 'contact.updated', 'contact.opted_out', 'contact.opted_in'],
      description: 'CRM',
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    secret = created.body.secret;
  });
  afterEach(() => receiver.close());

  /** Waits until the receiver holds `count` events about this phone number, and checks each signature. */
  const eventsFor = async (phone: string, count: number) => {
    const events = await eventually(
      () => {
        const found = receiver.received.filter((e) => e.body.data.contact.phone_number === phone);
        return found.length >= count ? found : undefined;
      },
      { what: `${count} contact events for ${phone}`, timeoutMs: 30_000 },
    );
    for (const event of events) {
      assert.ok(signatureValid(event, secret), `signature of ${event.body.type}`);
      assert.deepEqual(Object.keys(event.body.data.contact).sort(), CONTACT_KEYS);
    }
    return events.sort(
      (a, b) => a.body.created_at.localeCompare(b.body.created_at) || a.body.id.localeCompare(b.body.id),
    );
  };
  const eventRows = async (type: string) =>
    Number((await sut.system.db('webhook_events').where({ type }).count({ n: '*' }))[0].n);

  it('API: create, update, opt out by PATCH, opt in by DELETE /opt-outs/{phone}', async () => {
    const phone = testPhone();
    const created = await sut.api.post('/contacts/', { name: 'Ana', phone_number: phone });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.id;
    assert.equal((await sut.api.patch(`/contacts/${id}/`, { name: 'Ana Lima', tags: ['vip'] })).status, 200);
    assert.equal((await sut.api.patch(`/contacts/${id}/`, { opted_out: true })).status, 200);
    assert.equal((await sut.api.delete(`/opt-outs/${encodeURIComponent(phone)}?reason=asked+by+phone`)).status, 200);

    const events = await eventsFor(phone, 4);
    assert.deepEqual(
      events.map((e) => e.body.type),
      ['contact.created', 'contact.updated', 'contact.opted_out', 'contact.opted_in'],
    );
    const [createdEvent, updated, optedOut, optedIn] = events.map((e) => e.body.data);
    assert.deepEqual(
      { ...createdEvent.contact, created_at: undefined, updated_at: undefined },
      {
        id,
        phone_number: phone,
        name: 'Ana',
        email: null,
        tags: [],
        group_id: created.body.group_id,
        source: 'api',
        opted_out: false,
        created_at: undefined,
        updated_at: undefined,
      },
    );
    assert.deepEqual(updated.changed.sort(), ['name', 'tags']);
    assert.equal(updated.contact.name, 'Ana Lima');
    assert.equal(optedOut.contact.opted_out, true);
    assert.equal(optedIn.contact.opted_out, false);
    // A PATCH that changes nothing tracked records nothing.
    assert.equal((await sut.api.patch(`/contacts/${id}/`, { name: 'Ana Lima' })).status, 200);
    assert.equal(await eventRows('contact.updated'), 1);
  });

  it('CSV import: a new row is created, a known number with a new name is updated', async () => {
    const known = testPhone();
    const fresh = testPhone();
    assert.equal((await sut.api.post('/contacts/', { name: 'Old name', phone_number: known })).status, 201);
    const csv = `name,phone_number\nNew name,${known}\nBea,${fresh}\n`;
    const imported = await sut.api.request('POST', '/contacts/import/', {
      rawBody: csv,
      headers: { 'content-type': 'text/csv' },
    });
    assert.equal(imported.status, 201, JSON.stringify(imported.body));
    const [, update] = await eventsFor(known, 2);
    assert.equal(update.body.type, 'contact.updated');
    assert.deepEqual(update.body.data.changed, ['name']);
    assert.equal(update.body.data.contact.name, 'New name');
    const [create] = await eventsFor(fresh, 1);
    assert.equal(create.body.type, 'contact.created');
    assert.equal(create.body.data.contact.source, 'csv');
  });

  it('STOP and START from a new sender: created (source whatsapp), opted out, opted in', async () => {
    const phone = testPhone();
    assert.equal((await postWebhook(sut.api, inboundText('STOP', { from: phone }).body)).status, 200);
    await eventsFor(phone, 2);
    assert.equal((await postWebhook(sut.api, inboundText('START', { from: phone }).body)).status, 200);
    const events = await eventsFor(phone, 3);
    assert.deepEqual(
      events.map((e) => e.body.type),
      ['contact.created', 'contact.opted_out', 'contact.opted_in'],
    );
    assert.equal(events[0].body.data.contact.source, 'whatsapp');
    // Each event row commits with its change: one per change, whatever the retries.
    assert.equal(await eventRows('contact.created'), 1);
    assert.equal(await eventRows('contact.opted_out'), 1);
  });
});

describe('contact events from the WordPress sync', function () {
  this.timeout(120_000);
  let wp: FakeWordPress;
  let system: TestSystem;
  let receiver: Awaited<ReturnType<typeof startEventReceiver>>;
  before(async () => {
    ({ wp, system } = await startWordPressSystem(0, { EVENT_WEBHOOKS_ALLOW_PRIVATE: 'true' }));
    receiver = await startEventReceiver();
  });
  after(async () => {
    await stopSyncWorkflow(system, 'test file done');
    await system?.stop();
    await wp?.stop();
    await receiver?.close();
  });

  it('a new lead is contact.created (source wordpress), a newer edit of it contact.updated', async () => {
    const api = apiClient(system.baseUrl);
    await finishedRun(api); // the worker's first cycle, of an empty site
    const subscribed = await api.post('/event-subscriptions/', {
      url: receiver.url,
      events: ['contact.created', 'contact.updated'],
      description: 'CRM',
    });
    assert.equal(subscribed.status, 201, JSON.stringify(subscribed.body));
    const entry = lead({ modifiedAt: Date.now() });
    wp.add(entry);
    const first = await syncNow(api);
    assert.equal(first.created, 1, JSON.stringify(first));
    Object.assign(entry, {
      modified_gmt: wpTime(Date.now() + 60_000),
      fields: { ...(entry.fields as object), first_name: 'Renamed' },
    });
    assert.equal((await syncNow(api)).updated, 1);
    const events = await eventually(() => (receiver.received.length >= 2 ? receiver.received : undefined), {
      what: 'two events',
      timeoutMs: 30_000,
    });
    const byType = Object.fromEntries(events.map((e) => [e.body.type, e.body.data]));
    assert.ok(events.every((e) => signatureValid(e, subscribed.body.secret)));
    assert.equal(byType['contact.created'].contact.phone_number, e164(entry));
    assert.equal(byType['contact.created'].contact.source, 'wordpress');
    assert.deepEqual(byType['contact.updated'].changed, ['name']);
    assert.match(byType['contact.updated'].contact.name, /^Renamed/);
  });
});
