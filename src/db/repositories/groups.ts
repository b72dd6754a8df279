import type { Knex } from 'knex';
import type { Contact } from './contacts';
import { fetchPage, type PageRequest } from './pagination';

export const GROUPS_TABLE = 'groups';

export interface Group {
  id: number;
  name: string;
  capacity: number;
  member_count: number;
  created_at: Date;
  updated_at: Date;
}

/** Postgres raises this (from the seat triggers) when a group has no free seat. */
export const GROUP_FULL_CONSTRAINT = 'groups_capacity';

export const isGroupFull = (err: unknown) => (err as { constraint?: string }).constraint === GROUP_FULL_CONSTRAINT;

export function createGroupsRepository(db: Knex) {
  const table = (trx: Knex = db) => trx<Group>(GROUPS_TABLE);

  return {
    list: (page: PageRequest) => fetchPage<Group>(table().select('*'), page),

    members: (groupId: number, page: PageRequest) =>
      fetchPage<Contact>(db('contacts').select('*').where({ group_id: groupId }), page),

    find: (id: number, trx?: Knex) => table(trx).where({ id }).first(),

    findMany: (ids: number[], trx?: Knex) => table(trx).whereIn('id', ids).select('*'),

    async create(input: { name: string; capacity: number }, trx?: Knex): Promise<Group> {
      const [row] = await table(trx).insert(input).returning('*');
      return row as Group;
    },

    async update(id: number, fields: { name?: string; capacity?: number }, trx?: Knex): Promise<Group | undefined> {
      const [row] = await table(trx)
        .where({ id })
        .update({ ...fields, updated_at: db.fn.now() })
        .returning('*');
      return row as Group | undefined;
    },

    /** Deletes only an empty group; the foreign key from contacts backs this up. */
    removeIfEmpty: async (id: number, trx?: Knex) => (await table(trx).where({ id, member_count: 0 }).delete()) > 0,

    /** See rebalance_groups() in migrations/sql/group-seats.ts. */
    async rebalance(trx: Knex = db): Promise<number> {
      const { rows } = await trx.raw(`SELECT rebalance_groups() AS moved`);
      return Number(rows[0].moved);
    },

    /** The capacity Postgres gives the groups it creates itself ("Contacts N"). */
    async setDefaultCapacity(capacity: number, trx: Knex = db): Promise<void> {
      await trx('group_settings')
        .insert({ id: true, default_capacity: capacity })
        .onConflict('id')
        .merge(['default_capacity']);
    },
  };
}

export type GroupsRepository = ReturnType<typeof createGroupsRepository>;
