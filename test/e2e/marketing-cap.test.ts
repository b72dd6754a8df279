import assert from 'node:assert/strict';
import { testPhone } from '../helpers/api-client';
import { groupWithMembers, messageReaches } from '../helpers/broadcasts';
import { waitForStatus } from '../helpers/messages';
import { eventually } from '../helpers/poll';
import { postWebhook } from '../helpers/webhooks';
import { useSystem } from '../helpers/use-system';
import { statusEvent, webhookBody } from '../fakes/webhook-bodies';

const OFFER = { name: 'weekly_offer', language: 'en' };

/**
 * Meta's per-user marketing cap (131049) where it usually arrives: in a `failed` status webhook
 * after the send was accepted, and on a broadcast's delivery. The message waits `deferred` with
 * the reason and is tried once more after MARKETING_CAP_RETRY (10 s here); `off` fails it.
 */
describe('131049 by status webhook and on broadcast deliveries (MARKETING_CAP_RETRY)', () => {
  const sut = useSystem({ MARKETING_CAP_RETRY: '10s', SERVICE_WINDOW_POLICY: 'off' });

  const capFailure = (message: any) =>
    postWebhook(
      sut.api,
      webhookBody({
        statuses: [
          statusEvent({
            wamid: message.provider_message_id,
            status: 'failed',
            recipient: message.phone_number,
            callbackData: message.id,
            errorCode: 131049,
          }),
        ],
      }),
    );

  it('a failed status with 131049 defers the sent message and retries it once; a second 131049 fails it', async () => {
    const phone = testPhone();
    const created = await sut.api.post('/whatsapp/', { phone_number: phone, template: OFFER });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const sent = await waitForStatus(sut.api, created.body.id, 'sent');
    assert.equal((await capFailure(sent)).status, 200);

    const held = await waitForStatus(sut.api, sent.id, 'deferred');
    assert.equal(held.error.code, 'marketing_cap_deferred');
    assert.match(held.error.message, /per-user marketing limit/);
    const retryIn = Date.parse(held.scheduled_at) - Date.now();
    assert.ok(retryIn > 3_000 && retryIn <= 10_000, `retried in ${retryIn} ms`);
    assert.equal(held.failed_at, null);
    // The retry is a workflow under the message's own id; the Web UI shows why it waits.
    const memo = await eventually(
      async () => {
        const description = await sut.system.temporal.workflow.getHandle(`message-${sent.id}`).describe();
        return description.status.name === 'RUNNING' ? (description.memo as any) : undefined;
      },
      { what: 'the retry workflow' },
    );
    assert.equal(memo.deferred.code, 'marketing_cap_deferred');

    const retried = await waitForStatus(sut.api, sent.id, 'sent', 30_000);
    assert.notEqual(retried.provider_message_id, sent.provider_message_id);
    assert.equal(retried.attempts, 2);
    assert.equal(retried.error, null);
    assert.equal(sut.system.fake.messagesTo(phone).length, 2);

    assert.equal((await capFailure(retried)).status, 200);
    const failed = await waitForStatus(sut.api, sent.id, 'failed');
    assert.equal(failed.error.code, '131049');
    assert.equal(sut.system.fake.messagesTo(phone).length, 2, 'retried once only');
  });

  it('a broadcast delivery answered 131049 is deferred and retried by itself while the rest go out', async () => {
    const { group, optedIn } = await groupWithMembers(sut.system.db, sut.api, 3);
    sut.system.fake.failWithMetaCode(1, 131049);
    const created = await sut.api.post('/whatsapp/', { group_id: group.id, template: OFFER });
    assert.equal(created.status, 201, JSON.stringify(created.body));

    const parent = await eventually(
      async () => {
        const { body } = await sut.api.get(`/whatsapp/${created.body.id}/`);
        return body.counts?.sent === 2 && body.counts?.deferred === 1 ? body : undefined;
      },
      { what: '2 sent, 1 deferred', timeoutMs: 20_000 },
    );
    const [held] = (await sut.api.get(`/whatsapp/?parent_id=${parent.id}&status=deferred`)).body.results;
    assert.equal(held.error.code, 'marketing_cap_deferred');
    assert.ok(Date.parse(held.scheduled_at) > Date.now());

    await eventually(async () => (await sut.api.get(`/whatsapp/${created.body.id}/`)).body.counts.sent === 3, {
      what: 'the deferred delivery retried',
      timeoutMs: 30_000,
    });
    assert.equal((await sut.api.get(`/whatsapp/${held.id}/`)).body.attempts, 2);
    for (const phone of optedIn) assert.ok(sut.system.fake.messagesTo(phone).length >= 1);
    assert.equal(sut.system.fake.requests.filter((r) => r.path === '/messages').length, 4, 'three sends and one retry');
  });
});

describe('131049 with MARKETING_CAP_RETRY=off', () => {
  const sut = useSystem({ MARKETING_CAP_RETRY: 'off', SERVICE_WINDOW_POLICY: 'off' });

  it('a failed status with 131049 fails the message with the explanation', async () => {
    const created = await sut.api.post('/whatsapp/', { phone_number: testPhone(), template: OFFER });
    const sent = await waitForStatus(sut.api, created.body.id, 'sent');
    const event = statusEvent({
      wamid: sent.provider_message_id,
      status: 'failed',
      recipient: sent.phone_number,
      callbackData: sent.id,
      errorCode: 131049,
    });
    assert.equal((await postWebhook(sut.api, webhookBody({ statuses: [event] }))).status, 200);
    const failed = await messageReaches(sut.api, sent.id, 'failed');
    assert.equal(failed.error.code, '131049');
    assert.match(failed.error.message, /marketing/);
  });
});
