import type { Knex } from 'knex';
import type { TableWithJson } from '../row-types';
import type { EventType } from '../../event-webhooks/event-types';
import { fetchPage, type PageRequest } from './pagination';

export const SUBSCRIPTIONS_TABLE = 'event_subscriptions';

export interface EventSubscription {
  id: number;
  url: string;
  events: EventType[];
  description: string | null;
  secret: string;
  active: boolean;
  /** Why the subscription stopped receiving events (failing for 24 h), null while active. */
  disabled_reason: string | null;
  /** When the current run of failed attempts began; null after a success. */
  failing_since: Date | null;
  created_at: Date;
  updated_at: Date;
}

export type NewEventSubscription = Pick<EventSubscription, 'url' | 'events' | 'description' | 'secret'>;

export function createEventSubscriptionsRepository(db: Knex) {
  const table = (trx: Knex = db) => trx<TableWithJson<EventSubscription, 'events'>>(SUBSCRIPTIONS_TABLE);
  return {
    list: (page: PageRequest) => fetchPage<EventSubscription>(table().select('*'), page),

    find: (id: number, trx?: Knex) => table(trx).where({ id }).first(),

    async create(input: NewEventSubscription): Promise<EventSubscription> {
      const [row] = await table()
        .insert({ ...input, events: JSON.stringify(input.events) })
        .returning('*');
      return row as EventSubscription;
    },

    remove: async (id: number) => (await table().where({ id }).delete()) > 0,

    /** A success ends a failing streak. */
    markHealthy: (id: number, trx?: Knex) =>
      table(trx).where({ id }).whereNotNull('failing_since').update({ failing_since: null, updated_at: db.fn.now() }),

    /** Starts the failing streak (if none runs) and returns when it began. */
    async markFailing(id: number, trx?: Knex): Promise<Date | undefined> {
      const [row] = await table(trx)
        .where({ id })
        .update({ failing_since: db.raw('COALESCE(failing_since, now())'), updated_at: db.fn.now() })
        .returning('failing_since');
      return (row as { failing_since: Date } | undefined)?.failing_since;
    },

    disable: (id: number, reason: string, trx?: Knex) =>
      table(trx).where({ id }).update({ active: false, disabled_reason: reason, updated_at: db.fn.now() }),
  };
}

export type EventSubscriptionsRepository = ReturnType<typeof createEventSubscriptionsRepository>;
