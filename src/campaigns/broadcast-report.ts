import type { Knex } from 'knex';
import { createBroadcastReportsRepository } from '../db/repositories/broadcast-reports';
import { createBroadcastsRepository, COUNTED_STATES } from '../db/repositories/broadcasts';
import type { Message } from '../db/repositories/messages';
import { explain } from '../providers/d360/errors';
import { failureClass } from './failure-classes';

const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

/**
 * A broadcast's summary. Delivery states only move forward, so a read delivery was also
 * delivered and sent: the rates count every state at or past the one they name.
 */
export async function broadcastReport(db: Knex, parent: Message) {
  const reports = createBroadcastReportsRepository(db);
  const counts =
    (await createBroadcastsRepository(db).counts([parent.id])).get(parent.id) ??
    Object.fromEntries(COUNTED_STATES.map((s) => [s, 0]));
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const delivered = counts.delivered + counts.read;
  const reached = counts.sent + delivered;
  const replied = await reports.replies(parent.id);
  const failures = (await reports.failures(parent.id)).map((f) => ({
    code: f.code,
    count: f.count,
    explanation: explain(f.code, f.message ?? undefined),
    retryable: failureClass(f.code) === 'retryable',
  }));
  return {
    message_id: parent.id,
    status: parent.status,
    recipient_count: parent.recipient_count,
    total,
    counts,
    rates: {
      sent: rate(reached, total),
      delivered: rate(delivered, total),
      read: rate(counts.read, total),
      failed: rate(counts.failed, total),
      replied: rate(replied, reached),
    },
    replied,
    failures,
    retryable_failures: failures.filter((f) => f.retryable).reduce((sum, f) => sum + f.count, 0),
    time_to_delivered: await reports.latency(parent.id, 'delivered_at'),
    time_to_read: await reports.latency(parent.id, 'read_at'),
    sends_per_minute: (await reports.sendsPerMinute(parent.id)).map((row) => ({
      minute: row.minute.toISOString(),
      sent: row.sent,
    })),
  };
}
