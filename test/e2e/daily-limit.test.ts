import assert from 'node:assert/strict';
import { groupWithMembers, messageReaches } from '../helpers/broadcasts';
import { eventually } from '../helpers/poll';
import { useSystem, type SystemUnderTest } from '../helpers/use-system';

/**
 * A template broadcast to `recipients` against a daily limit of `limit`: sends what fits, holds the rest as
 * `deferred` with its time, and sends it once the window has moved (a durable timer in the broadcast workflow).
 */
async function broadcastPastTheLimit(sut: SystemUnderTest, recipients: number, limit: number, windowMs: number) {
  const { group, optedIn } = await groupWithMembers(sut.system.db, sut.api, recipients);
  const created = await sut.api.post('/whatsapp/', {
    group_id: group.id,
    template: { name: 'monthly_news', language: 'en' },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const id = created.body.id;
  const templatesSent = () =>
    sut.system.fake.requests.filter((r) => r.path === '/messages' && r.body?.type === 'template').length;

  const held = await eventually(
    async () => {
      const { body } = await sut.api.get(`/whatsapp/${id}/`);
      return body.counts.sent === limit && body.counts.deferred === recipients - limit ? body : undefined;
    },
    { what: `${limit} sent, ${recipients - limit} deferred`, timeoutMs: windowMs },
  );
  assert.equal(held.status, 'sending');
  assert.equal(templatesSent(), limit);
  const deferred = (await sut.api.get(`/whatsapp/?parent_id=${id}&status=deferred&page_size=50`)).body.results;
  assert.equal(deferred.length, Math.min(50, recipients - limit));
  for (const row of deferred) {
    assert.equal(row.error.code, 'messaging_limit');
    assert.match(row.error.message, /daily limit/);
    assert.ok(Date.parse(row.scheduled_at) > Date.now(), 'deferred until a time ahead');
  }
  // The deferral shows in the Temporal Web UI (the memo is written right after the rows).
  await eventually(
    async () => {
      const memo = (await sut.system.temporal.workflow.getHandle(created.body.workflow_id).describe()).memo as any;
      return memo?.deferred?.code === 'messaging_limit';
    },
    { what: 'the deferral in the workflow memo' },
  );

  const done = await messageReaches(sut.api, id, 'sent', windowMs + 45_000);
  assert.equal(done.counts.sent, recipients);
  assert.equal(done.counts.deferred, 0);
  const reached = new Map<string, number>();
  for (const r of sut.system.fake.requests) {
    if (r.path === '/messages') reached.set(r.body?.to, (reached.get(r.body?.to) ?? 0) + 1);
  }
  assert.equal(templatesSent(), recipients);
  for (const phone of optedIn) assert.equal(reached.get(phone), 1, `${phone} got exactly one`);
}

describe('the daily unique-recipient limit (MESSAGING_LIMIT_PER_DAY)', () => {
  describe('30 recipients, a limit of 20, the window shortened to 10 s', () => {
    const sut = useSystem({
      MESSAGING_LIMIT_PER_DAY: '20',
      MESSAGING_LIMIT_WINDOW: '10s',
      SERVICE_WINDOW_POLICY: 'off',
    });

    it('sends what fits, defers the rest with its time, and sends it after the window moves', () =>
      broadcastPastTheLimit(sut, 30, 20, 10_000));
  });

  describe('3,000 recipients to a number limited to 2,000 a day, the window shortened to 20 s', () => {
    // The send rate cap lifted so that the 2,000 leave well inside the window.
    const sut = useSystem({
      MESSAGING_LIMIT_PER_DAY: '2000',
      MESSAGING_LIMIT_WINDOW: '20s',
      SERVICE_WINDOW_POLICY: 'off',
      D360_MAX_MESSAGES_PER_SECOND: '10000',
      PAIR_RATE_SECONDS: '0',
    });

    it('sends 2,000, defers 1,000 with their time, and sends those after the window moves', function () {
      this.timeout(120_000);
      return broadcastPastTheLimit(sut, 3_000, 2_000, 20_000);
    });
  });
});
