import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { assertError } from '../helpers/assert-error';
import { groupWithMembers, messageReaches } from '../helpers/broadcasts';
import { useSystem } from '../helpers/use-system';

describe('broadcast reports: recipients, summary and retry', () => {
  const sut = useSystem();

  /**
   * A sent broadcast to 6 members whose deliveries are then given the fates WhatsApp
   * reports by webhook: 2 read (one replied), 1 delivered, a throttled failure (retryable),
   * a not-on-WhatsApp failure (permanent) and a throttled one whose contact then opted out.
   */
  async function settledBroadcast() {
    const { group, optedIn } = await groupWithMembers(sut.system.db, sut.api, 6);
    const created = await sut.api.post('/whatsapp/', { group_id: group.id, message: 'Hello' });
    await messageReaches(sut.api, created.body.id, 'sent');
    const db = sut.system.db;
    const children: { id: number; contact_id: number; phone_number: string }[] = await db('messages')
      .where({ parent_id: created.body.id })
      .orderBy('id');
    const sentAt = new Date(Date.now() - 10 * 60_000);
    const at = (seconds: number) => new Date(sentAt.getTime() + seconds * 1000);
    await db('messages').where({ parent_id: created.body.id }).update({ sent_at: sentAt });
    await db('messages')
      .where({ id: children[0].id })
      .update({ status: 'read', delivered_at: at(2), read_at: at(30) });
    await db('messages')
      .where({ id: children[1].id })
      .update({ status: 'read', delivered_at: at(4), read_at: at(60) });
    await db('messages')
      .where({ id: children[2].id })
      .update({ status: 'delivered', delivered_at: at(6) });
    const fail = (id: number, code: string, message: string) =>
      db('messages')
        .where({ id })
        .update({ status: 'failed', error_code: code, error_message: message, failed_at: at(1) });
    await fail(children[3].id, '130429', 'rate limit hit');
    await fail(children[4].id, '131026', 'the recipient cannot receive this message');
    await fail(children[5].id, '130429', 'rate limit hit');
    await db('contacts').where({ id: children[5].contact_id }).update({ opted_out: true, opted_out_at: db.fn.now() });
    await db('messages').insert({
      direction: 'inbound',
      contact_id: children[0].contact_id,
      phone_number: children[0].phone_number,
      type: 'text',
      text: 'Thanks!',
      status: 'received',
      created_at: at(120),
    });
    return { id: created.body.id as number, children, phones: optedIn };
  }

  it('GET /whatsapp/{id}/recipients/ pages deliveries with contact, state, times, explained errors and replies; filters by state and code', async () => {
    const { id, children } = await settledBroadcast();
    const page = await sut.api.get(`/whatsapp/${id}/recipients/?page_size=4`);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    assert.equal(page.body.count, 6);
    assert.equal(page.body.results.length, 4);
    const first = page.body.results[0];
    assert.equal(first.message_id, children[0].id);
    assert.equal(first.contact.id, children[0].contact_id);
    assert.equal(first.contact.phone_number, children[0].phone_number);
    assert.ok(first.contact.name);
    assert.equal(first.state, 'read');
    assert.ok(first.sent_at && first.delivered_at && first.read_at && first.scheduled_at);
    assert.equal(first.replied_within_24h, true);
    assert.equal(page.body.results[1].replied_within_24h, false);

    const failed = await sut.api.get(`/whatsapp/${id}/recipients/?state=failed&error_code=131026`);
    assert.equal(failed.body.count, 1);
    assert.deepEqual(failed.body.results[0].error, {
      code: '131026',
      message: 'the recipient cannot receive this message',
      explanation: 'the recipient cannot receive this message (not on WhatsApp, or on an old app version)',
      retryable: false,
    });
    assert.equal((await sut.api.get(`/whatsapp/${id}/recipients/?state=failed`)).body.count, 3);
    assert.equal((await sut.api.get(`/whatsapp/${id}/recipients/?error_code=nope`)).body.count, 0);
  });

  it('?format=csv streams every recipient as CSV', async () => {
    const { id, children } = await settledBroadcast();
    const response = await fetch(`${sut.system.baseUrl}/whatsapp/${id}/recipients/?format=csv&state=failed`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    const rows = parse(await response.text(), { columns: true }) as Record<string, string>[];
    assert.deepEqual(
      rows.map((r) => Number(r.message_id)),
      children.slice(3).map((c) => c.id),
    );
    assert.deepEqual(
      rows.map((r) => [r.error_code, r.retryable]),
      [
        ['130429', 'true'],
        ['131026', 'false'],
        ['130429', 'true'],
      ],
    );
    assert.ok(rows[0].error_explanation.length > 0);
  });

  it('GET /whatsapp/{id}/report/ summarises states, rates, failures, replies, latency and sends per minute', async () => {
    const { id } = await settledBroadcast();
    const report = await sut.api.get(`/whatsapp/${id}/report/`);
    assert.equal(report.status, 200, JSON.stringify(report.body));
    const body = report.body;
    assert.equal(body.total, 6);
    assert.deepEqual(body.counts, {
      scheduled: 0,
      sending: 0,
      sent: 0,
      delivered: 1,
      read: 2,
      failed: 3,
      cancelled: 0,
      deferred: 0,
      fallback: 0,
      skipped: 0,
    });
    assert.deepEqual(body.rates, { sent: 0.5, delivered: 0.5, read: 0.3333, failed: 0.5, replied: 0.3333 });
    assert.equal(body.replied, 1);
    assert.deepEqual(
      body.failures.map((f: any) => [f.code, f.count, f.retryable]),
      [
        ['130429', 2, true],
        ['131026', 1, false],
      ],
    );
    assert.equal(body.retryable_failures, 2);
    assert.equal(body.time_to_delivered.count, 3);
    assert.equal(body.time_to_delivered.p50_seconds, 4);
    assert.equal(body.time_to_read.count, 2);
    assert.equal(body.time_to_read.p50_seconds, 45);
    assert.equal(body.sends_per_minute.length, 1);
    assert.equal(body.sends_per_minute[0].sent, 6);
  });

  it('POST /whatsapp/{id}/retry/ re-sends only retryable failures of opted-in contacts, as a new linked broadcast, once', async () => {
    const { id, children } = await settledBroadcast();
    sut.system.fake.reset();
    const retry = await sut.api.post(`/whatsapp/${id}/retry/`);
    assert.equal(retry.status, 201, JSON.stringify(retry.body));
    assert.equal(retry.body.kind, 'broadcast');
    assert.equal(retry.body.retry_of_id, id);
    assert.equal(retry.body.recipient_count, 1);
    assert.equal(retry.body.workflow_id, `message-${retry.body.id}`);
    const done = await messageReaches(sut.api, retry.body.id, 'sent');
    assert.equal(done.counts.sent, 1);
    assert.equal(
      sut.system.fake.messagesTo(children[3].phone_number).length,
      1,
      'the throttled recipient gets it again',
    );
    assert.equal(sut.system.fake.messagesTo(children[4].phone_number).length, 0, 'a permanent failure is not retried');
    assert.equal(sut.system.fake.messagesTo(children[5].phone_number).length, 0, 'an opted-out contact is not retried');
    assert.equal(sut.system.fake.requests.length, 1);
    assertError(await sut.api.post(`/whatsapp/${id}/retry/`), 409, 'already_retried');
    assertError(await sut.api.post(`/whatsapp/${retry.body.id}/retry/`), 422, 'nothing_to_retry');
  });

  it('refuses reports and retries for unknown ids, single messages, bad filters and unfinished broadcasts', async () => {
    assertError(await sut.api.get('/whatsapp/999999/recipients/'), 404, 'not_found');
    assertError(await sut.api.get('/whatsapp/abc/report/'), 404, 'not_found');
    assertError(await sut.api.post('/whatsapp/999999/retry/'), 404, 'not_found');
    const single = await sut.api.post('/whatsapp/', {
      phone_number: '+4915112345678',
      message: 'hi',
      scheduled_at: new Date(Date.now() + 60_000).toISOString(),
    });
    assertError(await sut.api.get(`/whatsapp/${single.body.id}/report/`), 404, 'not_found');
    const { group } = await groupWithMembers(sut.system.db, sut.api, 2);
    const scheduled = await sut.api.post('/whatsapp/', {
      group_id: group.id,
      message: 'later',
      scheduled_at: new Date(Date.now() + 60_000).toISOString(),
    });
    assertError(await sut.api.post(`/whatsapp/${scheduled.body.id}/retry/`), 409, 'broadcast_in_progress');
    assert.equal(
      assertError(await sut.api.get(`/whatsapp/${scheduled.body.id}/recipients/?state=lost`), 400, 'validation_error')
        .details?.[0].path,
      'state',
    );
    assertError(await sut.api.get(`/whatsapp/${scheduled.body.id}/recipients/?page_size=501`), 400, 'validation_error');
    const empty = await sut.api.get(`/whatsapp/${scheduled.body.id}/report/`);
    assert.equal(empty.status, 200);
    assert.equal(empty.body.total, 0);
    assert.equal(empty.body.rates.sent, null);
    assert.equal(empty.body.time_to_delivered.p50_seconds, null);
  });
});
