import type { Knex } from 'knex';
import { createGroupsRepository, isGroupFull, type Group } from '../db/repositories/groups';
import { conflict, fieldError, notFound } from '../errors';

/**
 * Seats every contact without a group and moves the overflow of groups whose capacity was
 * lowered; nobody else moves. Safe to call at any time and from any process (Postgres
 * serialises it with the seat triggers). Returns how many contacts were placed or moved.
 */
export async function rebalanceGroups(db: Knex): Promise<number> {
  return db.transaction((trx) => createGroupsRepository(trx).rebalance(trx));
}

/** Called at start-up so groups Postgres creates itself get GROUP_CAPACITY seats. */
export async function applyGroupCapacity(db: Knex, capacity: number): Promise<void> {
  await createGroupsRepository(db).setDefaultCapacity(capacity);
}

const duplicateName = (err: unknown, name?: string): never => {
  if ((err as { code?: string }).code === '23505')
    throw conflict('duplicate_group_name', `a group named ${name} already exists`);
  throw err;
};

/** Maps Postgres' verdicts on a contact's seat to API errors. */
export function groupSeatError(err: unknown, groupId?: number | null): never {
  if (isGroupFull(err)) throw conflict('group_full', `group ${groupId} is full: ${(err as Error).message}`);
  if ((err as { constraint?: string }).constraint === 'contacts_group_id_foreign')
    throw fieldError('group_id', `no group with id ${groupId}`);
  throw err;
}

export function createGroupService(db: Knex, defaultCapacity: number) {
  const groups = createGroupsRepository(db);

  return {
    create: (input: { name: string; capacity?: number }) =>
      groups
        .create({ name: input.name, capacity: input.capacity ?? defaultCapacity })
        .catch((err) => duplicateName(err, input.name)),

    /** A lowered capacity moves the newest members beyond it to other groups right away. */
    async update(id: number, input: { name?: string; capacity?: number }): Promise<Group> {
      const updated = await groups.update(id, input).catch((err) => duplicateName(err, input.name));
      if (!updated) throw notFound('group');
      if (updated.member_count <= updated.capacity) return updated;
      await rebalanceGroups(db);
      return (await groups.find(id)) as Group;
    },

    async remove(id: number): Promise<void> {
      if (await groups.removeIfEmpty(id)) return;
      const group = await groups.find(id);
      if (!group) throw notFound('group');
      const members = `${group.member_count} member${group.member_count === 1 ? '' : 's'}`;
      throw conflict('group_not_empty', `group ${group.name} still has ${members}; move or delete them first`);
    },
  };
}

export type GroupService = ReturnType<typeof createGroupService>;
