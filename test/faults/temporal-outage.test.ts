import assert from 'node:assert/strict';
import { sender, statusEvent, textMessage, webhookBody } from '../fakes/webhook-bodies';
import { apiClient, testPhone } from '../helpers/api-client';
import { waitForStatus } from '../helpers/messages';
import { eventually, staysFalse } from '../helpers/poll';
import { useFileBackedTemporal } from '../helpers/file-backed-temporal';
import { postWebhook } from '../helpers/webhooks';

const DOWN_MS = 30_000;
const SENT_BEFORE = 5;
/** How long a request may take while Temporal is down: it needs only Postgres. */
const ANSWER_MS = 2_000;

describe('fault: Temporal is down for 30 s while the API keeps taking work', () => {
  const temporal = useFileBackedTemporal('temporal-outage');

  it('scheduling answers 201 and the webhook 200 throughout; everything is sent once after it returns', async function () {
    this.timeout(240_000);
    const sys = temporal.system;
    const api = apiClient(sys.baseUrl);
    assert.equal(
      (await api.post('/auto-replies/', { name: 'fallback', match: 'any', reply: { message: 'Thanks!' } })).status,
      201,
    );
    const sentBefore: { id: number; phone_number: string; provider_message_id: string }[] = [];
    for (let i = 0; i < SENT_BEFORE; i++) {
      const created = await api.post('/whatsapp/', { phone_number: testPhone(), message: 'before the outage' });
      sentBefore.push(await waitForStatus(api, created.body.id, 'sent'));
    }

    await temporal.stopServer();
    const downAt = Date.now();
    const scheduled: { phone: string; dueAt: number }[] = [];
    const customers: string[] = [];
    let slowest = 0;
    for (let round = 0; Date.now() - downAt < DOWN_MS; round++) {
      const phone = testPhone();
      const dueAt = Date.now() + 2_000;
      const t0 = Date.now();
      const created = await api.post('/whatsapp/', {
        phone_number: phone,
        message: 'during the outage',
        scheduled_at: new Date(dueAt).toISOString(),
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      scheduled.push({ phone, dueAt });
      const customer = testPhone();
      const target = sentBefore[round % SENT_BEFORE];
      const body = webhookBody(
        { contacts: [sender({ from: customer })], messages: [textMessage('hello', { from: customer })] },
        {
          statuses: [
            statusEvent({ wamid: target.provider_message_id, status: round < SENT_BEFORE ? 'delivered' : 'read' }),
          ],
        },
      );
      assert.equal((await postWebhook(api, body)).status, 200);
      customers.push(customer);
      slowest = Math.max(slowest, Date.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    assert.ok(slowest < 2 * ANSWER_MS, `a POST pair took ${slowest} ms while Temporal was down`);
    // Statuses need no Temporal at all: applied during the outage.
    await eventually(async () => (await api.get(`/whatsapp/${sentBefore[0].id}/`)).body.status === 'read', {
      what: 'a status applied while Temporal is down',
    });
    const ready = await api.get('/ready');
    assert.equal(ready.status, 503);
    assert.ok(ready.body.backlog.outbox.depth >= scheduled.length, JSON.stringify(ready.body.backlog));

    await temporal.startServer();
    const upAt = Date.now();
    const sends = () => sys.fake.requests.filter((r) => r.path === '/messages').map((r) => r.body.to as string);
    const expected = [...sentBefore.map((m) => m.phone_number), ...scheduled.map((s) => s.phone), ...customers];
    let startedMs = 0;
    void eventually(async () => (await sys.db('workflow_outbox').count({ n: '*' }))[0].n === 0, {
      timeoutMs: 120_000,
      intervalMs: 250,
    }).then(
      () => (startedMs = Date.now() - upAt),
      () => undefined,
    );
    await eventually(() => new Set(sends()).size === expected.length, {
      timeoutMs: 120_000,
      intervalMs: 250,
      what: `all ${expected.length} sends at the fake`,
    });
    const drainedMs = Date.now() - upAt;
    await eventually(async () => (await sys.db('workflow_outbox').count({ n: '*' }))[0].n === 0, {
      what: 'the outbox to drain',
    });
    await staysFalse(() => sends().length > expected.length, 2_000, 'a second send');
    assert.deepEqual([...sends()].sort(), [...expected].sort(), 'each message and each auto-reply exactly once');
    for (const { phone, dueAt } of scheduled) {
      const [request] = sys.fake.messagesTo(phone);
      assert.ok(request.at >= dueAt - 1_000, `${phone} sent ${dueAt - request.at} ms early`);
    }
    console.log(
      `      [temporal outage] down ${upAt - downAt} ms, ${scheduled.length} scheduled and ${customers.length} webhooks accepted (slowest ${slowest} ms); every workflow started ${startedMs} ms and all sent ${drainedMs} ms after it returned`,
    );
  });
});
