import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { MESSAGE_STATUS_KEY, PHONE_NUMBER_KEY, messageWorkflowId } from '../../workflows/definitions';
import { createBroadcastReportsRepository } from '../db/repositories/broadcast-reports';
import { createBroadcastsRepository } from '../db/repositories/broadcasts';
import { createMessagesRepository, type Message } from '../db/repositories/messages';
import { AppError, conflict, notFound } from '../errors';
import { RETRYABLE_CODES } from './failure-classes';

const SETTLED = ['sent', 'failed', 'cancelled'];

/**
 * Sends a settled broadcast again to the recipients that failed for a retryable or
 * deferred reason, as a new broadcast (`retry_of_id`) whose recipients are written now:
 * opted-out contacts and permanent failures are left out. One retry per broadcast, so a
 * repeated request cannot message the same people twice; retry the retry for another round.
 */
export async function retryBroadcast({ db, temporal, taskQueue }: { db: Knex; temporal: Client; taskQueue: string }, parentId: number): Promise<Message> {
  const broadcasts = createBroadcastsRepository(db);
  const reports = createBroadcastReportsRepository(db);
  const messages = createMessagesRepository(db);
  return db.transaction(async (trx) => {
    const parent = await broadcasts.findParentForUpdate(parentId, trx);
    if (!parent) throw notFound('broadcast');
    if (!SETTLED.includes(parent.status)) throw conflict('broadcast_in_progress', `the broadcast is ${parent.status}; retry once it has finished`);
    const earlier = await reports.findRetryOf(parentId, trx);
    if (earlier) throw conflict('already_retried', `broadcast ${earlier.id} already retries this one; retry that one for another round`);
    const recipients = await reports.retryable(parentId, RETRYABLE_CODES, trx);
    if (recipients.length === 0) throw new AppError(422, 'nothing_to_retry', 'no recipient failed with a retryable reason (opted-out and permanent failures are never retried)');

    const retry = await messages.create(
      {
        kind: 'broadcast', contact_id: null, phone_number: null, group_id: parent.group_id, audience_group_ids: null,
        type: parent.type as 'text' | 'template' | 'media', text: parent.text, template: parent.template, media: parent.media,
        status: 'sending', retry_of_id: parent.id, segment_id: parent.segment_id ?? null,
      },
      trx,
    );
    await trx('messages').insert(
      recipients.map((r) => ({
        parent_id: retry.id, kind: 'single', contact_id: r.contact_id, phone_number: r.phone_number, group_id: r.group_id,
        // No copy of the content: a delivery's send reads its parent's.
        type: retry.type, status: 'scheduled',
      })),
    );
    const [written] = await trx('messages').where({ id: retry.id }).update({ recipient_count: recipients.length }).returning('*');
    // Started inside the transaction, like every send: a failed start leaves no row behind.
    await temporal.workflow.start('broadcastWorkflow', {
      workflowId: messageWorkflowId(retry.id),
      taskQueue,
      args: [{ messageId: retry.id }],
      memo: { message_id: retry.id, kind: retry.type, retry_of_id: parent.id },
      typedSearchAttributes: [{ key: PHONE_NUMBER_KEY, value: '' }, { key: MESSAGE_STATUS_KEY, value: 'sending' }],
    });
    return written as Message;
  });
}
