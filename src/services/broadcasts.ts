import type { Knex } from 'knex';
import { messageWorkflowId } from '../../workflows/definitions';
import { createBroadcastsRepository, type BroadcastCounts } from '../db/repositories/broadcasts';
import { createGroupsRepository } from '../db/repositories/groups';
import type { Message, NewMessage } from '../db/repositories/messages';
import { conflict, fieldError, notFound } from '../errors';
import type { PendingStarts } from './pending-starts';

export type BroadcastTarget = Pick<
  NewMessage,
  'kind' | 'contact_id' | 'phone_number' | 'group_id' | 'audience_group_ids'
>;

/** A parent row's recipient columns: no phone of its own, the group as audience. */
export async function broadcastTarget(db: Knex, groupId: number): Promise<BroadcastTarget> {
  const group = await createGroupsRepository(db).find(groupId);
  if (!group) throw fieldError('group_id', `no group with id ${groupId}`);
  return {
    kind: 'broadcast',
    contact_id: null,
    phone_number: null,
    group_id: group.id,
    audience_group_ids: [group.id],
  };
}

export function createBroadcastControl({ db, pending }: { db: Knex; pending: PendingStarts }) {
  const broadcasts = createBroadcastsRepository(db);

  return {
    /** Per-state counts for the broadcast parents among `rows` (other rows get none). */
    counts: (rows: Message[]): Promise<Map<number, BroadcastCounts>> =>
      broadcasts.counts(rows.filter((row) => row.kind === 'broadcast').map((row) => row.id)),

    /**
     * Scheduled: cancelled, never sent. In progress: deliveries nobody has claimed become
     * cancelled and the parent too; sent ones stay sent, and the workflow finds nothing left
     * to claim. The parent's row lock orders this against the fan-out writing recipients.
     */
    async cancel(id: number): Promise<Message> {
      const workflowId = messageWorkflowId(id);
      const { message, entry } = await db.transaction(async (trx) => {
        const parent = await broadcasts.findParentForUpdate(id, trx);
        if (!parent) throw notFound('message');
        if (parent.status === 'cancelled') return { message: parent, entry: undefined };
        if (!['scheduled', 'sending'].includes(parent.status)) {
          throw conflict('message_not_cancellable', `the broadcast is ${parent.status}; there is nothing left to stop`);
        }
        await broadcasts.cancelUnsent(id, trx);
        const cancelled = (await broadcasts.setStatus(id, 'cancelled', trx)) as Message;
        // A waiting workflow (or a start not made yet) can stop now; a sending one is left to finish its in-flight
        // deliveries and record them.
        return {
          message: cancelled,
          entry: parent.status === 'scheduled' ? await pending.cancel(workflowId, trx) : undefined,
        };
      });
      if (entry) await pending.afterCancel(workflowId, entry);
      return message;
    },
  };
}

export type BroadcastControl = ReturnType<typeof createBroadcastControl>;
