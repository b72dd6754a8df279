import assert from 'node:assert/strict';
import { newWamid, statusEvent, webhookBody } from '../fakes/webhook-bodies';
import { testPhone } from '../helpers/api-client';
import { useSystem } from '../helpers/use-system';
import { inboxApplied, postWebhook } from '../helpers/webhooks';

describe('the webhook inbox and the backlog it shows', () => {
  const sut = useSystem({ BACKLOG_MAX_AGE_SECONDS: '30' });

  const sentMessages = (count: number) =>
    sut.system
      .db('messages')
      .insert(
        Array.from({ length: count }, () => ({
          phone_number: testPhone(),
          type: 'text',
          text: 'hi',
          status: 'sent',
          provider_message_id: newWamid(),
          sent_at: new Date(),
        })),
      )
      .returning(['id', 'provider_message_id']);

  it('requests arriving together are all answered 200 and applied; repeats in and across requests are kept once', async () => {
    const messages = await sentMessages(40);
    const bodies = messages.map((m: { provider_message_id: string }) =>
      webhookBody({
        statuses: [
          statusEvent({ wamid: m.provider_message_id, status: 'delivered' }),
          statusEvent({ wamid: m.provider_message_id, status: 'delivered' }),
        ],
      }),
    );
    // Each body twice, all at once: 360Dialog's concurrent retries.
    const answers = await Promise.all([...bodies, ...bodies].map((body) => postWebhook(sut.api, body)));
    assert.deepEqual([...new Set(answers.map((a) => a.status))], [200]);
    assert.deepEqual(answers[0].body, { received: { messages: 0, statuses: 2, ignored: 0 } });
    await inboxApplied(sut.system.db);
    assert.equal((await sut.system.db('webhook_inbox').count({ n: '*' }))[0].n, 40, 'one row per (wamid, status)');
    const rows = await sut.system
      .db('messages')
      .whereIn(
        'id',
        messages.map((m: { id: number }) => m.id),
      )
      .select('status', 'delivered_at');
    assert.ok(
      rows.every((r: { status: string; delivered_at: Date | null }) => r.status === 'delivered' && r.delivered_at),
      'every status applied',
    );
  });

  it('shows outbox and inbox depth and age in /metrics, and /ready is 503 degraded past BACKLOG_MAX_AGE_SECONDS', async () => {
    assert.equal((await sut.api.get('/ready')).status, 200);
    // A start nobody will take for an hour, committed a minute ago: what Temporal being away for a minute looks like.
    await sut.system.db('workflow_outbox').insert({
      workflow_type: 'sendMessageWorkflow',
      workflow_id: 'message-999999999',
      start: JSON.stringify({}),
      created_at: new Date(Date.now() - 60_000),
      available_at: new Date(Date.now() + 3_600_000),
    });
    const metrics = await (await fetch(`${sut.system.baseUrl}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);
    assert.equal(value('wa_outbox_depth'), 1);
    assert.ok(value('wa_outbox_oldest_age_seconds') >= 60, metrics.match(/wa_outbox.*/g)?.join('\n'));
    assert.equal(value('wa_inbox_depth'), 0);
    assert.equal(value('wa_inbox_oldest_age_seconds'), 0);

    const ready = await sut.api.get('/ready');
    assert.equal(ready.status, 503);
    assert.equal(ready.body.status, 'degraded');
    assert.equal(ready.body.postgres.ok, true);
    assert.equal(ready.body.temporal.ok, true);
    assert.equal(ready.body.backlog.ok, false);
    assert.equal(ready.body.backlog.max_age_seconds, 30);
    assert.equal(ready.body.backlog.outbox.depth, 1);
    assert.ok(ready.body.backlog.outbox.oldest_age_seconds >= 60);
    const health = await sut.api.get('/health');
    assert.equal(health.status, 200, '/health stays 200 (liveness)');
    assert.equal(health.body.status, 'degraded');

    await sut.system.db('workflow_outbox').delete();
    assert.equal((await sut.api.get('/ready')).status, 200);
  });
});
