import { createHash } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { messageWorkflowId, rescheduleUpdate } from '../../workflows/definitions';
import type { MessageCreateInput } from '../types/message-input';
import { createContactsRepository } from '../db/repositories/contacts';
import { createMessagesRepository, type Message, type NewMessage } from '../db/repositories/messages';
import { createIdBlocks } from '../db/repositories/id-blocks';
import { AppError, conflict, fieldError, notFound } from '../errors';
import { broadcastTarget, createBroadcastControl } from './broadcasts';
import { segmentBroadcastTarget } from '../campaigns/segment-audience';
import type { Logger } from '../logger';
import { messageStart } from '../temporal/workflow-starts';
import { createPendingStarts } from './pending-starts';
import type { RulesConfig } from '../config-rules';
import { createSendChecks } from '../rules/send-checks';

export interface MessageServiceDeps {
  db: Knex;
  temporal: Client;
  taskQueue: string;
  logger: Logger;
  /** Tells this process's outbox dispatcher that a start was just committed. */
  wakeOutbox: () => void;
  rules: RulesConfig;
}

const fingerprint = (input: unknown) => createHash('sha256').update(JSON.stringify(input)).digest('hex');

function content(input: MessageCreateInput): Pick<NewMessage, 'type' | 'text' | 'template' | 'media' | 'interactive'> {
  if (input.template) return { type: 'template', template: input.template };
  if (input.interactive) return { type: 'interactive', interactive: input.interactive };
  if (input.media) return { type: 'media', media: input.media };
  return { type: 'text', text: input.message ?? '' };
}

function futureTime(iso: string | undefined): Date | undefined {
  if (iso === undefined) return undefined;
  const at = new Date(iso);
  if (at.getTime() <= Date.now()) {
    throw fieldError(
      'scheduled_at',
      `is in the past (${at.toISOString()}); leave it out to send now, or give a future time`,
    );
  }
  return at;
}

/**
 * Owns the row + workflow pair of each message: the row and its workflow start (an outbox
 * entry) commit together, the dispatcher makes the start, so neither exists without the other.
 */
export function createMessageService({ db, temporal, taskQueue, logger, wakeOutbox, rules }: MessageServiceDeps) {
  const messages = createMessagesRepository(db);
  const contacts = createContactsRepository(db);
  const pending = createPendingStarts(temporal, logger);
  const broadcasts = createBroadcastControl({ db, pending });
  const checks = createSendChecks(db, rules);

  async function replay(key: string, requestFingerprint: string): Promise<Message | undefined> {
    const existing = await messages.findByIdempotencyKey(key);
    if (existing && existing.request_fingerprint !== requestFingerprint) {
      throw new AppError(
        422,
        'idempotency_key_reused',
        'this Idempotency-Key was already used with a different request body',
      );
    }
    return existing;
  }

  const nextMessageId = createIdBlocks(db, 'messages_id_seq');

  /** The row and its outbox entry in one statement; undefined when its Idempotency-Key was taken meanwhile. */
  async function insertWithStart(row: NewMessage): Promise<Message | undefined> {
    const id = await nextMessageId();
    try {
      return await messages.createWithStart(
        { ...row, id },
        messageStart({ ...row, id, kind: row.kind ?? 'single', scheduled_at: row.scheduled_at ?? null }, taskQueue),
      );
    } catch (err) {
      if ((err as { constraint?: string }).constraint === 'messages_idempotency_key_unique') return undefined;
      throw err;
    }
  }

  return {
    /** Returns the message and whether it was created now (false: an Idempotency-Key replay). */
    async create(input: MessageCreateInput, idempotencyKey?: string): Promise<{ message: Message; created: boolean }> {
      const requestFingerprint = fingerprint(input);
      if (idempotencyKey) {
        const existing = await replay(idempotencyKey, requestFingerprint);
        if (existing) return { message: existing, created: false };
      }
      const scheduledAt = futureTime(input.scheduled_at);
      const contact = input.contact_id
        ? await contacts.find(input.contact_id)
        : await contacts.findByPhone(input.phone_number ?? '');
      if (input.contact_id && !contact) throw fieldError('contact_id', `no contact with id ${input.contact_id}`);
      if (contact && !contact.phone_number) {
        throw fieldError(
          'contact_id',
          'this contact is known only by a WhatsApp user id (no phone number), so it cannot be messaged',
        );
      }

      // group_id: a broadcast parent, whose deliveries are written at its time (see broadcastWorkflow).
      const broadcast =
        input.segment_id !== undefined
          ? await segmentBroadcastTarget(db, input.segment_id)
          : input.group_id !== undefined
            ? await broadcastTarget(db, input.group_id)
            : undefined;
      // WhatsApp's rules (src/rules/): a 422 for what it will certainly refuse, warnings for what it probably will.
      const { type } = content(input);
      const { warnings, templateCategory } = await checks.check({
        type,
        field: type === 'text' ? 'message' : type,
        hasFallback: Boolean(input.fallback_template),
        template: input.template,
        fallbackTemplate: input.fallback_template,
        contact,
        phoneNumber: input.phone_number,
        recipientField: input.contact_id ? 'contact_id' : 'phone_number',
        audienceGroupIds: broadcast?.audience_group_ids,
        at: scheduledAt ?? new Date(),
      });
      // The row and its workflow start commit together (one statement) and the answer waits only for that commit;
      // the dispatcher starts the workflow (once, by its id) even if this process dies right after.
      const row = await insertWithStart({
        contact_id: contact?.id ?? null,
        phone_number: contact?.phone_number ?? input.phone_number ?? '',
        ...broadcast,
        ...content(input),
        scheduled_at: scheduledAt ?? null,
        fallback_template: input.fallback_template ?? null,
        warnings: warnings.length > 0 ? warnings : null,
        template_category: templateCategory ?? null,
        status: scheduledAt ? 'scheduled' : 'sending',
        idempotency_key: idempotencyKey ?? null,
        request_fingerprint: idempotencyKey ? requestFingerprint : null,
      });
      if (row) wakeOutbox();
      if (!row) return { message: (await replay(idempotencyKey ?? '', requestFingerprint)) as Message, created: false };
      return { message: row, created: true };
    },

    async cancel(id: number): Promise<Message> {
      if ((await messages.find(id))?.kind === 'broadcast') return broadcasts.cancel(id);
      const cancelled = await pending.cancelScheduled(db, messageWorkflowId(id), (trx) =>
        messages.cancelIfScheduled(id, trx),
      );
      if (!cancelled) {
        const message = await messages.find(id);
        if (!message) throw notFound('message');
        if (message.status === 'cancelled') return message;
        throw conflict('message_not_cancellable', `the message is ${message.status} and can no longer be cancelled`);
      }
      // A broadcast delivery's row holds no content of its own: find() fills it in from the parent.
      return (await messages.find(id)) ?? cancelled;
    },

    async reschedule(id: number, scheduledAtIso: string): Promise<Message> {
      const scheduledAt = futureTime(scheduledAtIso) as Date;
      const workflowId = messageWorkflowId(id);
      return db.transaction(async (trx) => {
        const message = await messages.findForUpdate(id, trx);
        if (!message) throw notFound('message');
        if (message.status !== 'scheduled') {
          throw conflict(
            'message_not_reschedulable',
            `the message is ${message.status}; only scheduled messages can be moved`,
          );
        }
        try {
          await pending.move(workflowId, { sendAt: scheduledAt.toISOString() }, trx, () =>
            temporal.workflow
              .getHandle(workflowId)
              .executeUpdate(rescheduleUpdate, { args: [scheduledAt.toISOString()] }),
          );
        } catch (err) {
          if (err instanceof WorkflowUpdateFailedError)
            throw conflict('message_not_reschedulable', (err.cause as Error)?.message ?? err.message);
          throw err;
        }
        return (await messages.reschedule(id, scheduledAt, trx)) as Message;
      });
    },

    /** Per-state delivery counts of the broadcasts among `rows`. */
    broadcastCounts: broadcasts.counts,
  };
}

export type MessageService = ReturnType<typeof createMessageService>;
