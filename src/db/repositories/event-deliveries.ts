import type { Knex } from 'knex';
import type { EventType } from '../../event-webhooks/event-types';
import type { Page, PageRequest } from './pagination';

export const EVENTS_TABLE = 'webhook_events';
export const DELIVERIES_TABLE = 'event_deliveries';

export interface EventDelivery {
  id: number;
  subscription_id: number;
  event_row_id: number;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  response_code: number | null;
  latency_ms: number | null;
  last_error: string | null;
  next_retry_at: Date;
  delivered_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** A delivery with the event it carries. */
export type DeliveryWithEvent = EventDelivery & {
  event_id: string;
  type: EventType;
  data: Record<string, unknown>;
  event_created_at: Date;
};

export interface AttemptOutcome {
  ok: boolean;
  responseCode: number | null;
  latencyMs: number;
  error: string | null;
  /** When to try again after a failure; null: give up (status failed). */
  nextRetryAt: Date | null;
}

/**
 * Records an event and a pending delivery to every active subscription that asked for its type,
 * in the caller's transaction, so an event exists exactly when the change it reports committed.
 * The event id is deterministic: a retried caller records it once.
 */
export async function recordEvent(
  trx: Knex,
  eventId: string,
  type: EventType,
  data: Record<string, unknown>,
): Promise<void> {
  const { rows } = await trx.raw(
    `INSERT INTO ${EVENTS_TABLE} (event_id, type, data) SELECT ?, ?, ?::jsonb
     WHERE EXISTS (SELECT 1 FROM event_subscriptions WHERE active AND events @> ?::jsonb)
     ON CONFLICT (event_id) DO NOTHING RETURNING id`,
    [eventId, type, JSON.stringify(data), JSON.stringify([type])],
  );
  if (rows.length === 0) return;
  await trx.raw(
    `INSERT INTO ${DELIVERIES_TABLE} (subscription_id, event_row_id) SELECT s.id, ? FROM event_subscriptions s WHERE s.active AND s.events @> ?::jsonb`,
    [rows[0].id, JSON.stringify([type])],
  );
}

/** Whether any active subscription asks for this type: lets a batch skip per-row work when none does. */
export async function wantsEvent(trx: Knex, type: EventType): Promise<boolean> {
  const { rows } = await trx.raw(
    `SELECT EXISTS (SELECT 1 FROM event_subscriptions WHERE active AND events @> ?::jsonb) AS wanted`,
    [JSON.stringify([type])],
  );
  return Boolean(rows[0]?.wanted);
}

export function createEventDeliveriesRepository(db: Knex) {
  const withEvent = (trx: Knex = db) =>
    trx(`${DELIVERIES_TABLE} as d`)
      .join(`${EVENTS_TABLE} as e`, 'e.id', 'd.event_row_id')
      .select('d.*', 'e.event_id', 'e.type', 'e.data', 'e.created_at as event_created_at');

  return {
    async list(subscriptionId: number, { page, pageSize }: PageRequest): Promise<Page<DeliveryWithEvent>> {
      const [{ count }] = await db(DELIVERIES_TABLE)
        .where({ subscription_id: subscriptionId })
        .count<{ count: string }[]>({ count: '*' });
      const rows = await withEvent()
        .where('d.subscription_id', subscriptionId)
        .orderBy('d.id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      return { count: Number(count), rows: rows as DeliveryWithEvent[] };
    },

    find: (subscriptionId: number, id: number) =>
      withEvent().where({ 'd.subscription_id': subscriptionId, 'd.id': id }).first() as Promise<
        DeliveryWithEvent | undefined
      >,

    /** The deliveries due now, oldest event first. */
    due: (subscriptionId: number, limit: number) =>
      withEvent()
        .where({ 'd.subscription_id': subscriptionId, 'd.status': 'pending' })
        .where('d.next_retry_at', '<=', db.fn.now())
        .orderBy('d.id')
        .limit(limit) as Promise<DeliveryWithEvent[]>,

    /** When the next pending delivery is due, if any. */
    async nextDueAt(subscriptionId: number): Promise<Date | undefined> {
      const row = await db(DELIVERIES_TABLE)
        .where({ subscription_id: subscriptionId, status: 'pending' })
        .min<{ at: Date | null }>({ at: 'next_retry_at' })
        .first();
      return row?.at ?? undefined;
    },

    recordAttempt: (id: number, outcome: AttemptOutcome) =>
      db(DELIVERIES_TABLE)
        .where({ id })
        .update({
          status: outcome.ok ? 'delivered' : outcome.nextRetryAt ? 'pending' : 'failed',
          attempts: db.raw('attempts + 1'),
          response_code: outcome.responseCode,
          latency_ms: outcome.latencyMs,
          last_error: outcome.error,
          ...(outcome.nextRetryAt ? { next_retry_at: outcome.nextRetryAt } : {}),
          ...(outcome.ok ? { delivered_at: db.fn.now() } : {}),
          updated_at: db.fn.now(),
        }),

    /** Queues a delivery again now, whatever became of it. */
    redeliver: (id: number) =>
      db(DELIVERIES_TABLE)
        .where({ id })
        .update({ status: 'pending', next_retry_at: db.fn.now(), updated_at: db.fn.now() }),

    /** A disabled subscription's queue is closed: what was pending is failed. */
    failPending: (subscriptionId: number, reason: string) =>
      db(DELIVERIES_TABLE)
        .where({ subscription_id: subscriptionId, status: 'pending' })
        .update({ status: 'failed', last_error: reason, updated_at: db.fn.now() }),
  };
}

export type EventDeliveriesRepository = ReturnType<typeof createEventDeliveriesRepository>;
