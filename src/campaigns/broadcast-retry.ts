import type { Knex } from 'knex';
import { createBroadcastReportsRepository } from '../db/repositories/broadcast-reports';
import { createBroadcastsRepository } from '../db/repositories/broadcasts';
import { createMessagesRepository, type Message } from '../db/repositories/messages';
import { createOutboxRepository } from '../db/repositories/outbox';
import { AppError, conflict, notFound } from '../errors';
import { broadcastRetryStart } from '../temporal/workflow-starts';
import { RETRYABLE_CODES } from './failure-classes';

const SETTLED = ['sent', 'failed', 'cancelled'];

/**
 * Sends a settled broadcast again to the recipients that failed for a retryable or
 * deferred reason, as a new broadcast (`retry_of_id`) whose recipients are written now:
 * opted-out contacts and permanent failures are left out. One retry per broadcast, so a
 * repeated request cannot message the same people twice; retry the retry for another round.
 */
export async function retryBroadcast(
  { db, taskQueue, wakeOutbox }: { db: Knex; taskQueue: string; wakeOutbox: () => void },
  parentId: number,
): Promise<Message> {
  const broadcasts = createBroadcastsRepository(db);
  const reports = createBroadcastReportsRepository(db);
  const messages = createMessagesRepository(db);
  const retry = await db.transaction(async (trx) => {
    const parent = await broadcasts.findParentForUpdate(parentId, trx);
    if (!parent) throw notFound('broadcast');
    if (!SETTLED.includes(parent.status))
      throw conflict('broadcast_in_progress', `the broadcast is ${parent.status}; retry once it has finished`);
    const earlier = await reports.findRetryOf(parentId, trx);
    if (earlier)
      throw conflict(
        'already_retried',
        `broadcast ${earlier.id} already retries this one; retry that one for another round`,
      );
    const recipients = await reports.retryable(parentId, RETRYABLE_CODES, trx);
    if (recipients.length === 0)
      throw new AppError(
        422,
        'nothing_to_retry',
        'no recipient failed with a retryable reason (opted-out and permanent failures are never retried)',
      );

    const retry = await messages.create(
      {
        kind: 'broadcast',
        contact_id: null,
        phone_number: null,
        group_id: parent.group_id,
        audience_group_ids: null,
        type: parent.type as 'text' | 'template' | 'media',
        text: parent.text,
        template: parent.template,
        media: parent.media,
        status: 'sending',
        retry_of_id: parent.id,
        segment_id: parent.segment_id ?? null,
      },
      trx,
    );
    await trx('messages').insert(
      recipients.map((r) => ({
        parent_id: retry.id,
        kind: 'single',
        contact_id: r.contact_id,
        phone_number: r.phone_number,
        group_id: r.group_id,
        // No copy of the content: a delivery's send reads its parent's.
        type: retry.type,
        status: 'scheduled',
      })),
    );
    const [written] = await trx('messages')
      .where({ id: retry.id })
      .update({ recipient_count: recipients.length })
      .returning('*');
    // The new broadcast and its workflow start commit together (the outbox); the dispatcher starts `message-<id>`.
    await createOutboxRepository(trx).enqueue(broadcastRetryStart(written as Message, parent.id, taskQueue), trx);
    return written as Message;
  });
  wakeOutbox();
  return retry;
}
