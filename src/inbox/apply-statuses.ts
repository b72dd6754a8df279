import type { Knex } from 'knex';
import { createInboundRepository } from '../db/repositories/inbound';
import type { Message } from '../db/repositories/messages';
import type { StatusEvent } from '../../workflows/inbound-definitions';
import { deliveryChange } from '../inbound/delivery';
import { wantsEvent } from '../db/repositories/event-deliveries';
import { messageStatusChanged } from '../event-webhooks/emit';
import { deferForMarketingCap, MARKETING_CAP_CODE, type MarketingCapRetry } from '../rules/marketing-cap';

const OUR_ID = /^[1-9]\d{0,15}$/;

export type StatusOutcome = 'updated' | 'unchanged' | 'unknown_message' | 'deferred';

/** The message an event is about among the locked rows: by wamid, else by our id while the row has no wamid or the
 * same one. */
function target(event: StatusEvent, byWamid: Map<string, Message>, byId: Map<number, Message>): Message | undefined {
  const found = byWamid.get(event.wamid);
  if (found || !event.callbackData || !OUR_ID.test(event.callbackData)) return found;
  const byOurId = byId.get(Number(event.callbackData));
  return byOurId && (byOurId.provider_message_id === null || byOurId.provider_message_id === event.wamid)
    ? byOurId
    : undefined;
}

/**
 * Messages WhatsApp sent and then failed with 131049 (Meta's per-user marketing cap): deferred for
 * their one retry instead, which an outbox entry starts. One still `sending` is left to fail: its
 * send's answer is not recorded yet and would overwrite the deferral.
 */
async function deferCapped(
  changed: Map<number, Message>,
  before: Map<number, Message>,
  retry: MarketingCapRetry,
  trx: Knex.Transaction,
): Promise<Set<number>> {
  const capped = [...changed.values()].filter(
    (m) => m.status === 'failed' && m.error_code === MARKETING_CAP_CODE && before.get(m.id)?.status === 'sent',
  );
  const deferred = await deferForMarketingCap(
    trx,
    capped.map((m) => m.id),
    retry,
  );
  for (const row of deferred) changed.set(row.id, row);
  return new Set(deferred.map((m) => m.id));
}

/**
 * Applies a batch of delivery statuses in three statements whatever its size: lock the messages
 * they name, fold each message's events through the same forward-only rule as ever
 * (src/inbound/delivery.ts: a late `sent` never undoes `delivered`, the earliest time wins,
 * `failed` explains its code), and write every changed message in one UPDATE. With
 * `marketingCapRetry`, a first 131049 defers its message for one retry instead of failing it.
 */
export async function applyStatuses(
  events: StatusEvent[],
  trx: Knex.Transaction,
  marketingCapRetry?: MarketingCapRetry,
): Promise<StatusOutcome[]> {
  if (events.length === 0) return [];
  const repo = createInboundRepository(trx);
  const ids = events.flatMap((e) => (e.callbackData && OUR_ID.test(e.callbackData) ? [Number(e.callbackData)] : []));
  const locked = await repo.lockForStatuses([...new Set(events.map((e) => e.wamid))], [...new Set(ids)], trx);
  const byId = new Map(locked.map((m) => [m.id, m]));
  const byWamid = new Map(locked.filter((m) => m.provider_message_id).map((m) => [m.provider_message_id as string, m]));
  const changed = new Map<number, Message>();
  const before = new Map(locked.map((m) => [m.id, { ...m }]));
  const messageOf: (number | undefined)[] = [];
  const outcomes = events.map((event): StatusOutcome => {
    const message = target(event, byWamid, byId);
    messageOf.push(message?.id);
    if (!message) return 'unknown_message';
    const change = deliveryChange(message, event);
    if (!change) return 'unchanged';
    // Later events of the batch see this one's effect, exactly as if they had come one by one.
    Object.assign(message, change);
    if (message.provider_message_id) byWamid.set(message.provider_message_id, message);
    changed.set(message.id, message);
    return 'updated';
  });
  await repo.writeDeliveries(
    [...changed.values()].map((m) => ({
      id: m.id,
      status: m.status,
      provider_message_id: m.provider_message_id,
      error_code: m.error_code,
      error_message: m.error_message,
      sent_at: m.sent_at,
      delivered_at: m.delivered_at,
      read_at: m.read_at,
      failed_at: m.failed_at,
    })),
    trx,
  );
  const deferred = marketingCapRetry ? await deferCapped(changed, before, marketingCapRetry, trx) : new Set<number>();
  // message.status_changed for subscribers, in this transaction (event outbox); one query when nobody listens.
  if (changed.size > 0 && (await wantsEvent(trx, 'message.status_changed'))) {
    for (const m of changed.values())
      await messageStatusChanged(trx, before.get(m.id) as Message, m as unknown as Record<string, unknown>);
  }
  if (deferred.size === 0) return outcomes;
  return outcomes.map((outcome, i) =>
    outcome === 'updated' && deferred.has(messageOf[i] as number) ? 'deferred' : outcome,
  );
}
