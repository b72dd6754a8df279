import assert from 'node:assert/strict';
import { newWamid, statusEvent, unixNow, webhookBody, type StatusOptions } from '../fakes/webhook-bodies';
import { testPhone } from '../helpers/api-client';
import { waitForStatus } from '../helpers/messages';
import { eventually } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';
import { inboxApplied, postWebhook } from '../helpers/webhooks';

describe('delivery statuses from the webhook', () => {
  const sut = useSystem();

  async function sentMessage() {
    const created = await sut.api.post('/whatsapp/', { phone_number: testPhone(), message: 'Your table is booked' });
    assert.equal(created.status, 201);
    return waitForStatus(sut.api, created.body.id, 'sent');
  }

  const postStatuses = async (...statuses: StatusOptions[]) => {
    const response = await postWebhook(sut.api, webhookBody({ statuses: statuses.map(statusEvent) }));
    assert.equal(response.status, 200, JSON.stringify(response.body));
  };

  /** Statuses are applied by the inbox processor, no workflow per status. */
  const applied = () => inboxApplied(sut.system.db);

  it('ends at read whatever order sent, delivered and read arrive in, with each time recorded', async () => {
    const message = await sentMessage();
    const wamid = message.provider_message_id;
    const [t1, t2, t3] = [unixNow(-30), unixNow(-20), unixNow(-10)];
    await postStatuses({ wamid, status: 'read', timestamp: t3 });
    await eventually(async () => (await sut.api.get(`/whatsapp/${message.id}/`)).body.status === 'read', {
      what: 'read',
    });
    await postStatuses({ wamid, status: 'delivered', timestamp: t2 }, { wamid, status: 'sent', timestamp: t1 });
    await applied();

    const { body } = await sut.api.get(`/whatsapp/${message.id}/`);
    assert.equal(body.status, 'read');
    assert.equal(body.read_at, new Date(Number(t3) * 1000).toISOString());
    assert.equal(body.delivered_at, new Date(Number(t2) * 1000).toISOString(), 'the earliest report of delivery wins');
  });

  it('keeps delivered when a late sent arrives, and a delivered receipt outranks a failure', async () => {
    const message = await sentMessage();
    const wamid = message.provider_message_id;
    await postStatuses({ wamid, status: 'failed', errorCode: 131026 });
    const failed = await waitForStatus(sut.api, message.id, 'failed');
    assert.equal(failed.error.code, '131026');
    await postStatuses({ wamid, status: 'delivered' });
    const delivered = await waitForStatus(sut.api, message.id, 'delivered');
    assert.equal(delivered.error, null);
    assert.ok(delivered.failed_at);
    await postStatuses({ wamid, status: 'sent' });
    await applied();
    assert.equal((await sut.api.get(`/whatsapp/${message.id}/`)).body.status, 'delivered');
  });

  it('explains a 131047 failure: outside the 24-hour window, send an approved template', async () => {
    const message = await sentMessage();
    await postStatuses({ wamid: message.provider_message_id, status: 'failed', errorCode: 131047 });
    const failed = await waitForStatus(sut.api, message.id, 'failed');
    assert.equal(failed.error.code, '131047');
    assert.match(failed.error.message, /outside the 24-hour window/);
    assert.match(failed.error.message, /send an approved template/);
    assert.ok(failed.failed_at);
  });

  it('finds the message by biz_opaque_callback_data when the send reply was lost', async () => {
    const phone = testPhone();
    // As if 360Dialog accepted the send but its HTTP reply never reached us: no wamid on the row.
    const [row] = await sut.system
      .db('messages')
      .insert({ phone_number: phone, type: 'text', text: 'hi', status: 'sending' })
      .returning('*');
    const wamid = newWamid();
    await postStatuses({ wamid, status: 'delivered', callbackData: row.id, recipient: phone });
    const delivered = await waitForStatus(sut.api, row.id, 'delivered');
    assert.equal(delivered.provider_message_id, wamid);
  });

  it('accepts a status for an unknown wamid and ignores it', async () => {
    const wamid = newWamid();
    await postStatuses({ wamid, status: 'delivered' });
    await applied();
    assert.equal(await sut.system.db('messages').where({ provider_message_id: wamid }).first(), undefined);
    const stored = await sut.system.db('webhook_inbox').where({ wamid }).select('status');
    assert.deepEqual(stored, [{ status: 'delivered' }], 'kept once, as processed');
  });
});
