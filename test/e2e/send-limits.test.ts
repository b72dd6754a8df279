import assert from 'node:assert/strict';
import { testPhone } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { groupWithMembers, messageReaches } from '../helpers/broadcasts';
import { waitForStatus } from '../helpers/messages';
import { eventually } from '../helpers/poll';
import { postWebhook } from '../helpers/webhooks';
import { useSystem } from '../helpers/use-system';
import { phoneNumberQualityUpdate, templateStatusUpdate } from '../fakes/webhook-bodies';

const US_PHONE = '+12015550123';
const SALE = { name: 'spring_sale', language: 'en' };

describe("Meta's limits in the send path", () => {
  const sut = useSystem({
    PAIR_RATE_SECONDS: '2',
    TEMPLATE_SYNC_INTERVAL: '1h',
    SERVICE_WINDOW_POLICY: 'off',
    MARKETING_CAP_RETRY: '10s',
  });

  async function syncTemplates(count: number) {
    assert.equal((await postWebhook(sut.api, templateStatusUpdate('any', 'en', 'APPROVED'))).status, 200);
    await eventually(async () => (await sut.api.get('/templates/')).body.count === count, {
      what: 'templates synced',
      timeoutMs: 30_000,
    });
  }

  it('pair rate: messages to one person leave PAIR_RATE_SECONDS apart, others are not held up', async () => {
    const phone = testPhone();
    const other = testPhone();
    const ids: number[] = [];
    for (const text of ['one', 'two', 'three'])
      ids.push((await sut.api.post('/whatsapp/', { phone_number: phone, message: text })).body.id);
    const otherId = (await sut.api.post('/whatsapp/', { phone_number: other, message: 'hi' })).body.id;
    for (const id of [...ids, otherId]) await waitForStatus(sut.api, id, 'sent', 30_000);

    const times = sut.system.fake
      .messagesTo(phone)
      .map((r) => r.at)
      .sort((a, b) => a - b);
    assert.equal(times.length, 3, 'later messages wait, they do not fail');
    // Slots are exactly 2 s apart in Postgres; arrival at the fake jitters with the machine's load (without the rule:
    // ~0 ms).
    for (let i = 1; i < times.length; i++)
      assert.ok(times[i] - times[i - 1] >= 1_500, `gap ${times[i] - times[i - 1]} ms`);
    assert.ok(times[2] - times[0] >= 3_500, `three sends within ${times[2] - times[0]} ms`);
    const [otherAt] = sut.system.fake.messagesTo(other).map((r) => r.at);
    assert.ok(otherAt < times[2], 'another recipient does not queue behind them');
  });

  it('refuses a marketing template to a US number before sending, and skips US numbers in a broadcast', async () => {
    sut.system.fake.addTemplate({ ...SALE, category: 'MARKETING', components: [{ type: 'BODY', text: 'Sale!' }] });
    sut.system.fake.addTemplate({
      name: 'receipt',
      language: 'en',
      category: 'UTILITY',
      components: [{ type: 'BODY', text: 'Thanks' }],
    });
    await syncTemplates(2);
    const refused = assertError(
      await sut.api.post('/whatsapp/', { phone_number: US_PHONE, template: SALE }),
      422,
      'marketing_to_us_number',
    );
    assert.equal(refused.details?.[0].path, 'phone_number');
    assert.match(refused.message, /US \(\+1\) numbers/);
    const utility = await sut.api.post('/whatsapp/', {
      phone_number: US_PHONE,
      template: { name: 'receipt', language: 'en' },
    });
    assert.equal(utility.status, 201, 'utility templates are fine');

    const { group } = await groupWithMembers(sut.system.db, sut.api, 2);
    const [first] = await sut.system.db('contacts').where({ group_id: group.id }).orderBy('id').select('id');
    await sut.system.db('contacts').where({ id: first.id }).update({ phone_number: '+12015550124' });
    const broadcast = await sut.api.post('/whatsapp/', { group_id: group.id, template: SALE });
    assert.equal(broadcast.status, 201);
    assert.deepEqual(
      broadcast.body.warnings.map((w: any) => w.code),
      ['marketing_to_us_number_warning'],
    );
    const done = await messageReaches(sut.api, broadcast.body.id, 'sent');
    assert.equal(done.counts.sent, 1);
    assert.equal(done.counts.skipped, 1);
    assert.equal(sut.system.fake.messagesTo('+12015550124').length, 0);
  });

  it('stores phone_number_quality_update and shows it at GET /account/', async () => {
    const before = await sut.api.get('/account/');
    assert.equal(before.status, 200);
    assert.equal(before.body.quality, null);
    assert.deepEqual(before.body.rules, {
      service_window_policy: 'off',
      pair_rate_seconds: 2,
      allow_us_marketing_templates: false,
    });

    assert.equal((await postWebhook(sut.api, phoneNumberQualityUpdate('UPGRADE', 'TIER_2K'))).status, 200);
    assert.equal((await postWebhook(sut.api, phoneNumberQualityUpdate('FLAGGED', ''))).status, 200);
    const after = await sut.api.get('/account/');
    assert.equal(after.body.quality, 'RED');
    assert.equal(after.body.messaging_limit, 'TIER_2K', 'a change that does not name the limit keeps it');
    assert.equal(after.body.messaging_limit_per_day, 2000);
    assert.equal(after.body.last_event, 'FLAGGED');
    assert.ok(Date.parse(after.body.changed_at) > Date.now() - 60_000);
  });

  it('131049 defers the message with the reason and retries it once after MARKETING_CAP_RETRY; a second 131049 fails it', async () => {
    sut.system.fake.failWithMetaCode(3, 131049);
    const send = async () =>
      (
        await sut.api.post('/whatsapp/', {
          phone_number: testPhone(),
          template: { name: 'weekly_offer', language: 'en' },
        })
      ).body.id as number;
    const first = await send();
    const held = await waitForStatus(sut.api, first, 'deferred');
    assert.equal(held.error.code, 'marketing_cap_deferred');
    assert.match(held.error.message, /per-user marketing limit/);
    const retryIn = Date.parse(held.scheduled_at) - Date.now();
    assert.ok(retryIn > 3_000 && retryIn <= 10_000, `retried in ${retryIn} ms`);
    const second = await send();
    await waitForStatus(sut.api, second, 'deferred');

    // One failure is left in the fake: whichever retries first meets it and fails for good; the other goes out.
    const settled = await eventually(
      async () => {
        const rows = await Promise.all([first, second].map(async (id) => (await sut.api.get(`/whatsapp/${id}/`)).body));
        return rows.every((row) => ['sent', 'failed'].includes(row.status)) ? rows : undefined;
      },
      { what: 'both retried once', timeoutMs: 40_000 },
    );
    assert.deepEqual(settled.map((row) => row.status).sort(), ['failed', 'sent']);
    const failed = settled.find((row) => row.status === 'failed');
    assert.equal(failed.error.code, '131049');
    assert.ok(
      settled.every((row) => row.attempts === 2),
      'each tried exactly twice',
    );
  });
});

describe('broadcasts that wait for WhatsApp: a paused template, a RED number', () => {
  const sut = useSystem({ TEMPLATE_SYNC_INTERVAL: '1h', SERVICE_WINDOW_POLICY: 'off', PAUSE_RECHECK_INTERVAL: '10s' });

  const sync = async (name: string, status: string) => {
    assert.equal((await postWebhook(sut.api, templateStatusUpdate(name, 'en', status))).status, 200);
    await eventually(async () => (await sut.api.get(`/templates/?name=${name}`)).body.results[0]?.status === status, {
      what: `${name} ${status}`,
      timeoutMs: 30_000,
    });
  };
  const countsOf = async (id: number) => (await sut.api.get(`/whatsapp/${id}/`)).body.counts;

  it('a template WhatsApp paused holds the broadcast (deferred, with the reason) until it is approved again', async () => {
    const template = sut.system.fake.addTemplate({
      name: 'news',
      category: 'MARKETING',
      components: [{ type: 'BODY', text: 'News!' }],
    });
    await sync('news', 'APPROVED');
    const { group } = await groupWithMembers(sut.system.db, sut.api, 3);
    const created = await sut.api.post('/whatsapp/', {
      group_id: group.id,
      template: { name: 'news', language: 'en' },
      scheduled_at: new Date(Date.now() + 4_000).toISOString(),
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    template.status = 'PAUSED';
    await sync('news', 'PAUSED');

    await eventually(async () => (await countsOf(created.body.id)).deferred === 3, {
      what: 'all held back',
      timeoutMs: 20_000,
    });
    const [row] = (await sut.api.get(`/whatsapp/?parent_id=${created.body.id}&status=deferred`)).body.results;
    assert.equal(row.error.code, 'template_paused');
    assert.equal(sut.system.fake.requests.filter((r) => r.path === '/messages').length, 0);

    template.status = 'APPROVED';
    await sync('news', 'APPROVED');
    const done = await messageReaches(sut.api, created.body.id, 'sent', 40_000);
    assert.equal(done.counts.sent, 3);
  });

  it('a RED number pauses a marketing broadcast until its quality improves (PAUSE_ON_RED_QUALITY)', async () => {
    sut.system.fake.addTemplate({ name: 'promo', category: 'MARKETING', components: [{ type: 'BODY', text: 'Sale' }] });
    await sync('promo', 'APPROVED');
    assert.equal((await postWebhook(sut.api, phoneNumberQualityUpdate('FLAGGED', 'TIER_2K'))).status, 200);
    const { group } = await groupWithMembers(sut.system.db, sut.api, 2);
    const created = await sut.api.post('/whatsapp/', {
      group_id: group.id,
      template: { name: 'promo', language: 'en' },
    });
    await eventually(async () => (await countsOf(created.body.id)).deferred === 2, {
      what: 'paused by RED quality',
      timeoutMs: 20_000,
    });
    const [row] = (await sut.api.get(`/whatsapp/?parent_id=${created.body.id}&status=deferred`)).body.results;
    assert.equal(row.error.code, 'paused_red_quality');

    assert.equal((await postWebhook(sut.api, phoneNumberQualityUpdate('UNFLAGGED', 'TIER_2K'))).status, 200);
    const done = await messageReaches(sut.api, created.body.id, 'sent', 40_000);
    assert.equal(done.counts.sent, 2);
  });
});
