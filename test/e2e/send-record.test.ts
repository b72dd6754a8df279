import assert from 'node:assert/strict';
import { createSendPath } from '../../activities/send-path';
import { statusEvent, webhookBody } from '../fakes/webhook-bodies';
import { testPhone } from '../helpers/api-client';
import { groupWithMembers, messageReaches } from '../helpers/broadcasts';
import { waitForStatus } from '../helpers/messages';
import { staysFalse } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';
import { postWebhook } from '../helpers/webhooks';

/**
 * The record of a send is as durable as the send (docs/sending.md, "At least once, at most
 * once"): each outcome of a send attempt, and what reaches the fake 360Dialog for it.
 */
describe('the record of a send', () => {
  const sut = useSystem();

  /** The next `failures` records of a provider message id fail (a sequence, so the count survives the rollbacks). */
  async function failRecords(failures: number): Promise<() => Promise<void>> {
    const db = sut.system.db;
    await db.raw('CREATE SEQUENCE test_record_faults');
    await db.raw(`CREATE FUNCTION test_fail_record() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF NEW.provider_message_id IS NOT NULL AND OLD.provider_message_id IS NULL AND nextval('test_record_faults') <= ${failures} THEN
        RAISE EXCEPTION 'injected: the record of a sent message cannot be written';
      END IF;
      RETURN NEW; END $$`);
    await db.raw(
      'CREATE TRIGGER test_fail_record BEFORE UPDATE ON messages FOR EACH ROW EXECUTE FUNCTION test_fail_record()',
    );
    return async () => {
      await db.raw('DROP TRIGGER IF EXISTS test_fail_record ON messages');
      await db.raw('DROP FUNCTION IF EXISTS test_fail_record()');
      await db.raw('DROP SEQUENCE IF EXISTS test_record_faults');
    };
  }

  it('a sent message whose record fails again and again is recorded sent in the end, and sent once', async function () {
    this.timeout(90_000);
    const single = testPhone();
    let heal = await failRecords(2);
    try {
      const created = await sut.api.post('/whatsapp/', { phone_number: single, message: 'recorded at last' });
      const sent = await waitForStatus(sut.api, created.body.id, 'sent', 30_000);
      assert.match(sent.provider_message_id, /^wamid\.FAKE/);
      assert.equal(sut.system.fake.messagesTo(single).length, 1);
    } finally {
      await heal();
    }

    // A broadcast delivery: more failures than the five tries that used to be the limit.
    const { group, optedIn } = await groupWithMembers(sut.system.db, sut.api, 1);
    heal = await failRecords(6);
    try {
      const broadcast = await sut.api.post('/whatsapp/', { group_id: group.id, message: 'recorded at last' });
      const done = await messageReaches(sut.api, broadcast.body.id, 'sent', 60_000);
      assert.equal(done.counts.sent, 1, JSON.stringify(done.counts));
      assert.equal(sut.system.fake.messagesTo(optedIn[0]).length, 1);
    } finally {
      await heal();
    }
  });

  it("a row an earlier attempt left in sending is never sent again blindly; WhatsApp's report settles it", async () => {
    const sendPath = createSendPath({
      db: sut.system.db,
      d360: { configured: true } as never,
      maxMessagesPerSecond: 80,
    });
    const [died] = await sut.system
      .db('messages')
      .insert({
        phone_number: testPhone(),
        type: 'text',
        text: 'in flight when the worker died',
        status: 'sending',
        sending_since: new Date(),
        attempts: 1,
      })
      .returning('*');
    const [retryable] = await sut.system
      .db('messages')
      .insert({
        phone_number: testPhone(),
        type: 'text',
        text: 'WhatsApp said 429',
        status: 'sending',
        sending_since: null,
        attempts: 1,
        error_code: '429',
      })
      .returning('*');

    const claims = await sendPath.claimMessages([died.id, retryable.id]);
    const dead = claims.get(died.id);
    assert.ok(dead?.outcome === 'settled', JSON.stringify(dead));
    assert.deepEqual(
      [dead.result.status, dead.result.status === 'failed' && dead.result.code],
      ['failed', 'send_outcome_unknown'],
    );
    assert.equal(
      claims.get(retryable.id)?.outcome,
      'claimed',
      "an attempt that recorded WhatsApp's answer left nothing unknown",
    );
    const row = (await sut.api.get(`/whatsapp/${died.id}/`)).body;
    assert.equal(row.status, 'failed');
    assert.equal(row.error.code, 'send_outcome_unknown');
    assert.match(row.error.message, /not sent again/);

    // WhatsApp did get it: its delivery report (our id in biz_opaque_callback_data) corrects the row.
    const report = webhookBody({
      statuses: [
        statusEvent({ wamid: 'wamid.LOST1', status: 'delivered', recipient: died.phone_number, callbackData: died.id }),
      ],
    });
    assert.equal((await postWebhook(sut.api, report)).status, 200);
    const settled = await waitForStatus(sut.api, died.id, 'delivered');
    assert.equal(settled.provider_message_id, 'wamid.LOST1');
    assert.equal(settled.error, null);
  });

  // Each outcome of one HTTP call, as docs/sending.md lists them: what is retried, what can reach WhatsApp twice.
  const outcomes: [string, (phone: string) => void, string, number][] = [
    ['429 (not accepted): retried, one delivery', () => sut.system.fake.failWithStatus(1, 429), 'sent', 2],
    [
      '500 (may have been accepted): retried, a possible duplicate',
      () => sut.system.fake.failWithStatus(1, 500),
      'sent',
      2,
    ],
    [
      'no answer within D360_TIMEOUT_MS: retried, a possible duplicate',
      () => sut.system.fake.failNext(1, { kind: 'hang', ms: 5_000 }),
      'sent',
      2,
    ],
    [
      'a permanent refusal (131047): failed, never retried',
      () => sut.system.fake.failWithMetaCode(1, 131047),
      'failed',
      1,
    ],
    ['accepted: sent once', () => undefined, 'sent', 1],
  ];
  for (const [name, arrange, status, requests] of outcomes) {
    it(`outcome: ${name}`, async () => {
      const phone = testPhone();
      arrange(phone);
      const created = await sut.api.post('/whatsapp/', { phone_number: phone, message: name });
      await waitForStatus(sut.api, created.body.id, status, 30_000);
      await staysFalse(() => sut.system.fake.messagesTo(phone).length > requests, 300, 'another request');
      assert.equal(sut.system.fake.messagesTo(phone).length, requests);
    });
  }
});
