import assert from 'node:assert/strict';
import { apiClient, testPhone } from '../helpers/api-client';
import { startApiProcess, type EntryProcess } from '../helpers/child-process';
import { truncateAll } from '../helpers/database';
import { eventually, staysFalse } from '../helpers/poll';
import { startSystem, type TestSystem } from '../helpers/system';
import { newWamid, sender, statusEvent, textMessage, webhookBody, WEBHOOK_SECRET } from '../fakes/webhook-bodies';

const BURST = 120;
const CONCURRENCY = 16;
const KILL_AFTER = 40;

interface Posted {
  phone: string;
  inboundWamid: string;
  /** The outbound message this webhook's status is about. */
  messageId: number;
  statusWamid: string;
  body: unknown;
  answered?: number;
}

describe('fault: the API process is SIGKILLed during a webhook burst', () => {
  let system: TestSystem;
  let api: EntryProcess | undefined;

  before(async () => {
    system = await startSystem({}, { background: false });
    await truncateAll(system.db);
  });
  after(async () => {
    await api?.stop();
    await system?.stop();
  });

  it('every event answered 200 is applied exactly once, and the retried rest once too', async function () {
    this.timeout(180_000);
    assert.equal(
      (
        await apiClient(system.baseUrl).post('/auto-replies/', {
          name: 'fallback',
          match: 'any',
          reply: { message: 'Thanks!' },
        })
      ).status,
      201,
    );
    // Each webhook: one customer text (answered by the fallback rule) and a `delivered` for one of our sent messages.
    const sent = await system
      .db('messages')
      .insert(
        Array.from({ length: BURST }, () => ({
          phone_number: testPhone(),
          type: 'text',
          text: 'hi',
          status: 'sent',
          provider_message_id: newWamid(),
          sent_at: new Date(),
        })),
      )
      .returning(['id', 'provider_message_id']);
    const posted: Posted[] = sent.map((row: { id: number; provider_message_id: string }) => {
      const phone = testPhone();
      const message = textMessage('hello', { from: phone });
      return {
        phone,
        inboundWamid: message.id,
        messageId: row.id,
        statusWamid: row.provider_message_id,
        body: webhookBody({
          contacts: [sender({ from: phone })],
          messages: [message],
          statuses: [statusEvent({ wamid: row.provider_message_id, status: 'delivered' })],
        }),
      };
    });

    const first = await startApiProcess(system.config);
    api = first.api;
    const send = (baseUrl: string, p: Posted) =>
      fetch(`${baseUrl}/webhooks/360dialog/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-secret': WEBHOOK_SECRET },
        body: JSON.stringify(p.body),
      }).then(
        (r) => r.status,
        () => 0,
      );
    let next = 0;
    let answered = 0;
    let killed: Promise<unknown> | undefined;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < BURST) {
          const p = posted[next++];
          p.answered = await send(first.baseUrl, p);
          if (p.answered === 200 && ++answered >= KILL_AFTER && !killed) killed = first.api.stop('SIGKILL');
        }
      }),
    );
    await killed;
    const ok = posted.filter((p) => p.answered === 200);
    const cut = posted.filter((p) => p.answered !== 200);
    assert.ok(
      ok.length >= KILL_AFTER && cut.length > 0,
      `${ok.length} answered 200, ${cut.length} not: the kill must cut the burst`,
    );
    const stored = new Set((await system.db('webhook_inbox').select('wamid')).map((r: { wamid: string }) => r.wamid));
    for (const p of ok)
      assert.ok(
        stored.has(p.inboundWamid) && stored.has(p.statusWamid),
        `an event answered 200 is not in the inbox: ${p.inboundWamid}`,
      );

    // 360Dialog retries what it got no 200 for, and (at least once) some of what it did.
    const restarted = await startApiProcess(system.config);
    api = restarted.api;
    for (const p of [...cut, ...ok.slice(0, 20)]) assert.equal(await send(restarted.baseUrl, p), 200);

    const replies = () =>
      new Map(system.fake.requests.filter((r) => r.path === '/messages').map((r) => [r.body.to as string, r]));
    await eventually(
      async () => {
        const pending = await system.db('webhook_inbox').whereNull('processed_at').count({ n: '*' });
        return pending[0].n === 0 && replies().size === BURST;
      },
      { timeoutMs: 120_000, intervalMs: 250, what: `every inbound message answered (${BURST})` },
    ).catch(async (err) => {
      const state = {
        replies: replies().size,
        pendingEvents: (await system.db('webhook_inbox').whereNull('processed_at').count({ n: '*' }))[0].n,
        outbox: await system.db('workflow_outbox').select('workflow_id', 'attempts', 'last_error').limit(3),
        inbound: (await system.db('messages').where({ direction: 'inbound' }).count({ n: '*' }))[0].n,
        replyRows: await system.db('messages').whereNotNull('reply_to_id').select('status', 'error_code').limit(3),
      };
      throw new Error(`${(err as Error).message}: ${JSON.stringify(state)}\n${api?.output().slice(-3_000)}`);
    });
    await staysFalse(
      () => system.fake.requests.filter((r) => r.path === '/messages').length > BURST,
      2_000,
      'a second reply',
    );

    const inbound = await system.db('messages').where({ direction: 'inbound' }).select('provider_message_id');
    assert.equal(inbound.length, BURST, 'each customer message stored once');
    const events = await system.db('webhook_inbox').select('wamid', 'status');
    assert.equal(events.length, 2 * BURST, 'each event kept once, retries dropped');
    const delivered = await system
      .db('messages')
      .whereIn(
        'id',
        posted.map((p) => p.messageId),
      )
      .select('status');
    assert.ok(
      delivered.every((r: { status: string }) => r.status === 'delivered'),
      'every status applied',
    );
    const cutSent = cut.length;
    console.log(
      `      [webhook kill] ${ok.length} answered 200 before the kill, ${cutSent} cut and retried; ${BURST} replies, ${events.length} events stored once`,
    );
  });
});
