import type { Knex } from 'knex';
import { escapeLike, fetchPage, type PageRequest } from './pagination';

export const CONTACTS_TABLE = 'contacts';

export type ContactSource = 'api' | 'wordpress' | 'whatsapp';

export interface Contact {
  id: number;
  name: string;
  phone_number: string;
  email: string | null;
  source: ContactSource;
  opted_out: boolean;
  opted_out_at: Date | null;
  group_id: number | null;
  created_at: Date;
  updated_at: Date;
}

export interface ContactInput {
  name: string;
  phone_number: string;
  email?: string | null;
  source?: ContactSource;
  opted_out?: boolean;
}

const optOutColumns = (optedOut: boolean | undefined, db: Knex) =>
  optedOut === undefined ? {} : { opted_out: optedOut, opted_out_at: optedOut ? db.fn.now() : null };

export function createContactsRepository(db: Knex) {
  const table = (trx: Knex = db) => trx<Contact>(CONTACTS_TABLE);

  return {
    async list(filter: { search?: string }, page: PageRequest) {
      const query = table().select('*');
      if (filter.search) {
        const like = `%${escapeLike(filter.search)}%`;
        query.where((q) => q.whereILike('name', like).orWhereILike('phone_number', like));
      }
      return fetchPage<Contact>(query, page);
    },

    find: (id: number, trx?: Knex) => table(trx).where({ id }).first(),

    findByPhone: (phone: string, trx?: Knex) => table(trx).where({ phone_number: phone }).first(),

    async create(input: ContactInput, trx?: Knex): Promise<Contact> {
      const [row] = await table(trx)
        .insert({
          name: input.name,
          phone_number: input.phone_number,
          email: input.email ?? null,
          source: input.source ?? 'api',
          ...optOutColumns(input.opted_out, db),
        } as never)
        .returning('*');
      return row as Contact;
    },

    async update(id: number, input: Partial<ContactInput>, trx?: Knex): Promise<Contact | undefined> {
      const { opted_out, ...fields } = input;
      const [row] = await table(trx)
        .where({ id })
        .update({ ...fields, ...optOutColumns(opted_out, db), updated_at: db.fn.now() } as never)
        .returning('*');
      return row as Contact | undefined;
    },

    remove: async (id: number, trx?: Knex) => (await table(trx).where({ id }).delete()) > 0,
  };
}

export type ContactsRepository = ReturnType<typeof createContactsRepository>;
