import type { Knex } from 'knex';
import { escapeLike, fetchPage, type PageRequest } from './pagination';

export const CONTACTS_TABLE = 'contacts';

const PHONE_SPACING = /[\s().\/-]/g;

export type ContactSource = 'api' | 'wordpress' | 'whatsapp' | 'csv';

export interface Contact {
  id: number;
  name: string;
  /** Null for a WhatsApp user known only by their business-scoped user id (2026 usernames). */
  phone_number: string | null;
  whatsapp_user_id: string | null;
  email: string | null;
  source: ContactSource;
  opted_out: boolean;
  opted_out_at: Date | null;
  tags: string[];
  group_id: number | null;
  /** The newest inbound message's time (kept by a trigger): the 24-hour service window runs from it. */
  last_inbound_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface ContactInput {
  name: string;
  phone_number: string;
  email?: string | null;
  source?: ContactSource;
  opted_out?: boolean;
  tags?: string[];
  /** Absent: Postgres seats the contact in the oldest group with room. */
  group_id?: number;
}

export interface ContactFilter {
  search?: string;
  /** Contacts carrying every one of these tags. */
  tags?: string[];
}

const optOutColumns = (optedOut: boolean | undefined, db: Knex) =>
  optedOut === undefined ? {} : { opted_out: optedOut, opted_out_at: optedOut ? db.fn.now() : null };

export function createContactsRepository(db: Knex) {
  const table = (trx: Knex = db) => trx<Contact>(CONTACTS_TABLE);

  /** Every contact the filter matches, unordered and unpaged (the CSV export streams it). */
  function filtered(filter: ContactFilter): Knex.QueryBuilder {
    const query = table().select('*');
    if (filter.tags?.length) query.whereRaw('tags @> ?::text[]', [filter.tags]);
    if (filter.search) {
      const like = `%${escapeLike(filter.search)}%`;
      // Numbers are stored in E.164, so "+49 151 2222" should find +491512222...: drop the spacing people type.
      const phoneTerm = filter.search.replace(PHONE_SPACING, '');
      query.where((q) => {
        q.whereILike('name', like);
        if (phoneTerm) q.orWhereILike('phone_number', `%${escapeLike(phoneTerm)}%`);
      });
    }
    return query;
  }

  return {
    list: (filter: ContactFilter, page: PageRequest) => fetchPage<Contact>(filtered(filter), page),

    filtered,

    find: (id: number, trx?: Knex) => table(trx).where({ id }).first(),

    /** Holds the row until the transaction ends: one decision per contact at a time (auto-replies, opt-out). */
    findForUpdate: (id: number, trx: Knex.Transaction) => table(trx).where({ id }).forUpdate().first(),

    findByPhone: (phone: string, trx?: Knex) => table(trx).where({ phone_number: phone }).first(),

    findByWhatsAppUserId: (userId: string, trx?: Knex) => table(trx).where({ whatsapp_user_id: userId }).first(),

    attachWhatsAppUserId: (id: number, userId: string, trx?: Knex) =>
      table(trx)
        .where({ id })
        .whereNull('whatsapp_user_id')
        .update({ whatsapp_user_id: userId, updated_at: db.fn.now() }),

    /** Inserts unless the phone or user id is taken (a concurrent webhook may create the same sender). */
    async insertIfAbsent(
      input: { name: string; phone_number: string | null; whatsapp_user_id: string | null; source: ContactSource },
      trx?: Knex,
    ) {
      const [row] = await table(trx).insert(input).onConflict().ignore().returning('*');
      return row as Contact | undefined;
    },

    async create(input: ContactInput, trx?: Knex): Promise<Contact> {
      const [row] = await table(trx)
        .insert({
          name: input.name,
          phone_number: input.phone_number,
          email: input.email ?? null,
          ...(input.tags ? { tags: input.tags } : {}),
          source: input.source ?? 'api',
          ...(input.group_id ? { group_id: input.group_id } : {}),
          ...optOutColumns(input.opted_out, db),
        })
        .returning('*');
      return row as Contact;
    },

    async update(id: number, input: Partial<ContactInput>, trx?: Knex): Promise<Contact | undefined> {
      const { opted_out, ...fields } = input;
      const [row] = await table(trx)
        .where({ id })
        .update({ ...fields, ...optOutColumns(opted_out, db), updated_at: db.fn.now() })
        .returning('*');
      return row as Contact | undefined;
    },

    remove: async (id: number, trx?: Knex) => (await table(trx).where({ id }).delete()) > 0,
  };
}

export type ContactsRepository = ReturnType<typeof createContactsRepository>;
