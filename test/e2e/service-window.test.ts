import assert from 'node:assert/strict';
import { testPhone, type ApiClient } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { groupWithMembers, messageReaches } from '../helpers/broadcasts';
import { inSeconds, waitForStatus } from '../helpers/messages';
import { eventually, staysFalse } from '../helpers/poll';
import { postWebhook } from '../helpers/webhooks';
import { useSystem } from '../helpers/use-system';
import { inboundText } from '../fakes/webhook-bodies';
import { inboundWorkflowId } from '../../workflows/inbound-definitions';

const HOUR = 3_600_000;
const TEMPLATE = { name: 'we_miss_you', language: 'en' };

async function contact(api: ApiClient) {
  const created = await api.post('/contacts/', { name: 'Ana', phone_number: testPhone() });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return created.body as { id: number; phone_number: string };
}

describe('the 24-hour service window (SERVICE_WINDOW_POLICY=enforce)', () => {
  const sut = useSystem({ SERVICE_WINDOW_POLICY: 'enforce' });
  const lastWrote = (id: number, msAgo: number | null) =>
    sut.system
      .db('contacts')
      .where({ id })
      .update({ last_inbound_at: msAgo === null ? null : new Date(Date.now() - msAgo) });

  it('shows service_window_ends_at on the contact, 24 h after their last inbound message', async () => {
    const ana = await contact(sut.api);
    assert.equal(ana.hasOwnProperty('service_window_ends_at'), true);
    assert.equal((ana as any).service_window_ends_at, null);
    const wroteAt = Math.floor(Date.now() / 1000) - 60;
    const { body, wamid } = inboundText('hi', { from: ana.phone_number, timestamp: String(wroteAt) });
    assert.equal((await postWebhook(sut.api, body)).status, 200);
    const shown = await eventually(
      async () => (await sut.api.get(`/contacts/${ana.id}/`)).body.service_window_ends_at,
      { what: 'the window on the contact' },
    );
    assert.equal(shown, new Date((wroteAt + 86_400) * 1000).toISOString());
    // Done with the inbound message (started from the webhook inbox) before the next test empties the tables.
    const handle = sut.system.temporal.workflow.getHandle(inboundWorkflowId(wamid));
    await eventually(
      () =>
        handle.result().then(
          () => true,
          () => false,
        ),
      { what: 'the inbound workflow finished' },
    );
  });

  it('refuses free text and media to a closed window with 422 outside_service_window, and sends nothing', async () => {
    const ana = await contact(sut.api);
    const text = await sut.api.post('/whatsapp/', { contact_id: ana.id, message: 'Hello' });
    const error = assertError(text, 422, 'outside_service_window');
    assert.match(error.message, /never written/);
    assert.equal(error.details?.[0].path, 'message');
    const media = await sut.api.post('/whatsapp/', {
      phone_number: ana.phone_number,
      media: { type: 'image', link: 'https://example.com/a.jpg' },
    });
    assert.equal(assertError(media, 422, 'outside_service_window').details?.[0].path, 'media');
    // Open now, closed by the scheduled time.
    await lastWrote(ana.id, 23 * HOUR);
    const later = await sut.api.post('/whatsapp/', {
      contact_id: ana.id,
      message: 'Tomorrow',
      scheduled_at: new Date(Date.now() + 2 * HOUR).toISOString(),
    });
    assert.match(assertError(later, 422, 'outside_service_window').message, /window closes at/);
    assert.equal(
      Number((await sut.system.db('messages').where({ direction: 'outbound' }).count({ n: '*' }))[0].n),
      0,
      'nothing half-written',
    );

    const template = await sut.api.post('/whatsapp/', { contact_id: ana.id, template: TEMPLATE });
    assert.equal(template.status, 201, 'a template needs no window');
    const open = await sut.api.post('/whatsapp/', { contact_id: ana.id, message: 'Still open' });
    assert.equal(open.status, 201);
    assert.deepEqual(open.body.warnings, []);
    await waitForStatus(sut.api, open.body.id, 'sent');
  });

  it('sends the fallback_template instead when the window is closed at send time', async () => {
    const ana = await contact(sut.api);
    const created = await sut.api.post('/whatsapp/', {
      contact_id: ana.id,
      message: 'Free text',
      fallback_template: TEMPLATE,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const warning = created.body.warnings.find((w: any) => w.code === 'outside_service_window_warning');
    assert.match(warning?.message ?? '', /fallback_template will be sent instead/);
    const sent = await waitForStatus(sut.api, created.body.id, 'sent');
    assert.equal(sent.fallback_used, true);
    const [request] = sut.system.fake.messagesTo(ana.phone_number);
    assert.equal(request.body.type, 'template');
    assert.deepEqual(request.body.template, { name: 'we_miss_you', language: { code: 'en' } });
  });

  it('checks again at send time: a window closed since the POST fails the message before any call to WhatsApp', async () => {
    const ana = await contact(sut.api);
    await lastWrote(ana.id, HOUR);
    const created = await sut.api.post('/whatsapp/', {
      contact_id: ana.id,
      message: 'Soon',
      scheduled_at: inSeconds(2),
    });
    assert.equal(created.status, 201);
    await lastWrote(ana.id, 25 * HOUR); // as if the day had passed
    const failed = await waitForStatus(sut.api, created.body.id, 'failed');
    assert.equal(failed.error.code, 'outside_service_window');
    assert.match(failed.error.message, /24-hour service window is closed/);
    assert.equal(sut.system.fake.messagesTo(ana.phone_number).length, 0);
    // The reason shows in the Temporal Web UI once the workflow has finished.
    await eventually(
      async () => {
        const described = await sut.system.temporal.workflow.getHandle(created.body.workflow_id).describe();
        return (described.memo as any)?.error?.code === 'outside_service_window';
      },
      { what: 'the reason in the workflow memo' },
    );
  });

  it('a broadcast counts who took the fallback and who was skipped', async () => {
    const { group, optedIn } = await groupWithMembers(sut.system.db, sut.api, 3);
    const ids: number[] = (
      await sut.system.db('contacts').where({ group_id: group.id }).orderBy('id').select('id')
    ).map((r: { id: number }) => r.id);
    await lastWrote(ids[0], HOUR);

    const skipping = await sut.api.post('/whatsapp/', { group_id: group.id, message: 'News' });
    assert.equal(skipping.status, 201, JSON.stringify(skipping.body));
    assert.match(skipping.body.warnings[0].message, /2 recipient\(s\) have a closed window.*skipped/);
    const skipped = await messageReaches(sut.api, skipping.body.id, 'sent');
    assert.equal(skipped.counts.sent, 1);
    assert.equal(skipped.counts.failed, 2);
    assert.equal(skipped.counts.skipped, 2);
    assert.equal(skipped.counts.fallback, 0);

    const withFallback = await sut.api.post('/whatsapp/', {
      group_id: group.id,
      message: 'News',
      fallback_template: TEMPLATE,
    });
    const done = await messageReaches(sut.api, withFallback.body.id, 'sent');
    assert.equal(done.counts.sent, 3);
    assert.equal(done.counts.fallback, 2);
    assert.equal(done.counts.skipped, 0);
    const types = optedIn.map((phone) =>
      sut.system.fake
        .messagesTo(phone)
        .map((r) => r.body.type)
        .join(','),
    );
    assert.deepEqual(types, ['text,text', 'template', 'template']);
  });
});

describe('the 24-hour service window (SERVICE_WINDOW_POLICY=warn, the default)', () => {
  const sut = useSystem({ SERVICE_WINDOW_POLICY: 'warn' });

  it('accepts free text to a closed window with a warning, and lets WhatsApp decide', async () => {
    const ana = await contact(sut.api);
    const created = await sut.api.post('/whatsapp/', { contact_id: ana.id, message: 'Hello' });
    assert.equal(created.status, 201);
    assert.deepEqual(
      created.body.warnings.map((w: any) => w.code),
      ['outside_service_window_warning'],
    );
    const again = await sut.api.get(`/whatsapp/${created.body.id}/`);
    assert.deepEqual(again.body.warnings, created.body.warnings, 'the warning stays on the message');
    await waitForStatus(sut.api, created.body.id, 'sent');
    assert.equal(sut.system.fake.messagesTo(ana.phone_number)[0].body.type, 'text');
  });
});

describe('the 24-hour service window (SERVICE_WINDOW_POLICY=off)', () => {
  const sut = useSystem({ SERVICE_WINDOW_POLICY: 'off' });

  it('neither warns nor refuses', async () => {
    const ana = await contact(sut.api);
    const created = await sut.api.post('/whatsapp/', { contact_id: ana.id, message: 'Hello' });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.warnings, []);
    await staysFalse(
      async () => (await sut.api.get(`/whatsapp/${created.body.id}/`)).body.status === 'failed',
      300,
      'a failure',
    );
  });
});
