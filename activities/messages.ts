import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { createContactsRepository } from '../src/db/repositories/contacts';
import { createMessagesRepository, type Message } from '../src/db/repositories/messages';
import { createSendRateRepository } from '../src/db/repositories/send-rate';
import type { CloudApiMessage, D360Client } from '../src/providers/d360/client';
import { explain } from '../src/providers/d360/errors';
import { toCloudApiMessage } from '../src/providers/d360/message-body';
import type { SendOutcome } from '../workflows/definitions';
import { retryWhileRowMayBeCommitting } from './row-commit';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// A timer may fire a hair before the stored time; this much early is still on time.
const EARLY_TOLERANCE_MS = 1_000;

export type ClaimResult =
  | { outcome: 'claimed'; request: CloudApiMessage }
  | { outcome: 'not_due'; scheduledAt: string }
  | { outcome: 'settled'; result: SendOutcome };

export interface MessageActivityDeps {
  db: Knex;
  d360: D360Client;
  /** D360_MAX_MESSAGES_PER_SECOND, shared by every worker through Postgres. */
  maxMessagesPerSecond: number;
}

const settledOutcome = (message: Message): SendOutcome => {
  switch (message.status) {
    case 'sent':
    case 'delivered':
    case 'read':
      return { status: 'sent', providerMessageId: message.provider_message_id ?? '' };
    case 'failed':
      return { status: 'failed', code: message.error_code ?? 'failed', message: message.error_message ?? '' };
    default:
      return { status: 'cancelled' };
  }
};

export function createMessageActivities({ db, d360, maxMessagesPerSecond }: MessageActivityDeps) {
  const messages = createMessagesRepository(db);
  const sendRate = createSendRateRepository(db);
  const contacts = createContactsRepository(db);

  const isOptedOut = async (message: Message, trx: Knex) => {
    // The one message an opted-out contact still gets is the confirmation of their STOP.
    if (message.auto_reply_kind === 'opt_out') return false;
    const contact = message.contact_id
      ? await contacts.find(message.contact_id, trx)
      : message.phone_number
        ? await contacts.findByPhone(message.phone_number, trx)
        : undefined;
    return Boolean(contact?.opted_out);
  };

  const fail = async (message: Message, code: string, trx: Knex): Promise<ClaimResult> => {
    await messages.markFailed(message.id, code, explain(code), trx);
    return { outcome: 'settled', result: { status: 'failed', code, message: explain(code) } };
  };

  return {
    /**
     * Takes the row lock and moves the message to `sending`; from then on a DELETE
     * answers 409, so a cancel and a send can never both win.
     */
    async claimMessage(messageId: number): Promise<ClaimResult> {
      return db.transaction(async (trx) => {
        const message = await messages.findForUpdate(messageId, trx);
        if (!message) {
          retryWhileRowMayBeCommitting(`message ${messageId}`);
          return { outcome: 'settled', result: { status: 'missing' } };
        }
        if (!['scheduled', 'sending'].includes(message.status)) return { outcome: 'settled', result: settledOutcome(message) };
        if (message.scheduled_at && message.scheduled_at.getTime() > Date.now() + EARLY_TOLERANCE_MS) {
          return { outcome: 'not_due', scheduledAt: message.scheduled_at.toISOString() };
        }
        if (await isOptedOut(message, trx)) return fail(message, 'opted_out', trx);
        if (!d360.configured) return fail(message, 'not_configured', trx);
        await messages.markSending(message.id, trx);
        return { outcome: 'claimed', request: toCloudApiMessage(message) };
      });
    },

    /** Only the HTTP call, on the rate-limited send queue: retryable errors throw, permanent ones return. */
    async sendToWhatsApp(request: CloudApiMessage): Promise<SendOutcome> {
      const wait = await sendRate.reserveSlot(maxMessagesPerSecond);
      if (wait > 0) await sleep(wait);
      const result = await d360.sendMessage(request);
      if (result.ok) return { status: 'sent', providerMessageId: result.providerMessageId };
      if (result.error.retryable) throw ApplicationFailure.retryable(result.error.message, result.error.code);
      return { status: 'failed', code: result.error.code, message: result.error.message };
    },

    async recordOutcome(messageId: number, outcome: SendOutcome): Promise<void> {
      if (outcome.status === 'sent') await messages.markSent(messageId, outcome.providerMessageId);
      else if (outcome.status === 'failed') await messages.markFailed(messageId, outcome.code, outcome.message);
    },
  };
}
