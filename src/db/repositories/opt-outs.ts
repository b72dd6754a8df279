import type { Knex } from 'knex';
import { fetchPage, type PageRequest } from './pagination';

export const OPT_OUTS_TABLE = 'opt_outs';

export type OptOutSource = 'whatsapp' | 'api' | 'migration';

/** A number on the suppression list: nothing but a STOP confirmation is sent to it. */
export interface OptOut {
  id: number;
  phone_number: string;
  source: OptOutSource;
  created_at: Date;
}

/**
 * The suppression list, keyed by E.164 number so it outlives contacts. The contacts trigger
 * (migration 20261202110000) keeps `contacts.opted_out` in step with it.
 */
export function createOptOutsRepository(db: Knex) {
  const table = (trx: Knex = db) => trx<OptOut>(OPT_OUTS_TABLE);

  return {
    list: (page: PageRequest) => fetchPage<OptOut>(table().select('*'), page),

    find: (phone: string, trx?: Knex) => table(trx).where({ phone_number: phone }).first(),

    /** Idempotent: a second STOP keeps the first entry (and its time). */
    add: (phone: string, source: OptOutSource, trx?: Knex) =>
      table(trx).insert({ phone_number: phone, source }).onConflict('phone_number').ignore(),

    /**
     * Takes the number off the list and re-subscribes its contact, in one transaction so the
     * trigger cannot put the contact straight back. Answers the removed entry, if there was one.
     */
    async remove(phone: string, trx: Knex.Transaction): Promise<OptOut | undefined> {
      const [removed] = await table(trx).where({ phone_number: phone }).delete().returning('*');
      await trx('contacts')
        .where({ phone_number: phone, opted_out: true })
        .update({ opted_out: false, opted_out_at: null, updated_at: trx.fn.now() });
      return removed as OptOut | undefined;
    },
  };
}

export type OptOutsRepository = ReturnType<typeof createOptOutsRepository>;
