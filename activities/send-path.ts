import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Knex } from 'knex';
import { createMessagesRepository, type Message } from '../src/db/repositories/messages';
import type { LockedMessage } from '../src/db/repositories/message-send-states';
import { createSendRateRepository } from '../src/db/repositories/send-rate';
import { createPairRateRepository } from '../src/db/repositories/pair-rate';
import type { CloudApiMessage, D360Client } from '../src/providers/d360/client';
import { explain } from '../src/providers/d360/errors';
import { toCloudApiMessage } from '../src/providers/d360/message-body';
import type { SendOutcome } from '../workflows/definitions';
import { notDueYet } from './not-due-yet';
import { NOT_CONFIGURED, OPTED_OUT, SEND_OUTCOME_UNKNOWN } from '../workflows/failure-codes';
import type { ServiceWindowPolicy } from '../src/config-rules';
import { sendTimeWindow } from '../src/rules/service-window';
import { refusesUsMarketing } from '../src/rules/us-marketing';
import { createSendHolds, type HoldRules } from './send-holds';
import { deferForMarketingCap, MARKETING_CAP_CODE } from '../src/rules/marketing-cap';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const HEARTBEAT_WAIT_MS = 5_000;
const MIN_WAIT_TO_BEAT_MS = 1_000;
function heartbeat(): void {
  try {
    Context.current().heartbeat();
  } catch {
    // outside an activity: nothing to report to
  }
}

/** Why a message that was due waits on: a WhatsApp rule held it (shown in the workflow's memo). */
export interface HeldReason {
  code: string;
  message: string;
}

export type ClaimResult =
  | { outcome: 'claimed'; request: CloudApiMessage }
  | { outcome: 'not_due'; scheduledAt: string; held?: HeldReason }
  | { outcome: 'settled'; result: SendOutcome };

export interface SendPathDeps {
  db: Knex;
  d360: D360Client;
  /** D360_MAX_MESSAGES_PER_SECOND, shared by every worker through Postgres. */
  maxMessagesPerSecond: number;
  /** SERVICE_WINDOW_POLICY: what a closed 24-hour window does at send time (off when absent). */
  serviceWindowPolicy?: ServiceWindowPolicy;
  /** ALLOW_US_MARKETING_TEMPLATES. */
  allowUsMarketing?: boolean;
  /** PAIR_RATE_SECONDS: at most one message per this many seconds to the same recipient (0: off). */
  pairRateSeconds?: number;
  /** MARKETING_CAP_RETRY: 131049 is retried once after this long (undefined: it fails at once). */
  marketingCapRetryMs?: number;
  /** TEMPORAL_TASK_QUEUE: where a broadcast delivery's 131049 retry runs. */
  taskQueue?: string;
  /** What holds a single template message back at its send instant (a paused template, the daily limit). */
  rules?: HoldRules;
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

/**
 * The only way a message reaches 360Dialog: claim (row lock, opt-out, window and US checks) -> send slot
 * (rate and pair rate) -> the HTTP call -> record. These are steps inside the deliverWhenDue and
 * deliverChunk activities, never activities of their own, so no workflow can send past the claim or the slot.
 */
export function createSendPath({
  db,
  d360,
  maxMessagesPerSecond,
  serviceWindowPolicy = 'off',
  allowUsMarketing = true,
  pairRateSeconds = 0,
  marketingCapRetryMs,
  taskQueue,
  rules,
}: SendPathDeps) {
  const pairRate = createPairRateRepository(db);
  const messages = createMessagesRepository(db);
  const sendRate = createSendRateRepository(db);
  const holds = createSendHolds(db, rules);

  // The one message an opted-out contact still gets is the confirmation of their STOP.
  const optedOut = (message: LockedMessage) => message.recipient_opted_out && message.auto_reply_kind !== 'opt_out';

  /** What the claim does with one locked row: leave it as it is, fail it, or take it to `sending`. */
  function verdict(message: LockedMessage): ClaimResult | { fail: string } | 'claim' | 'fallback' {
    if (!['scheduled', 'sending', 'deferred'].includes(message.status))
      return { outcome: 'settled', result: settledOutcome(message) };
    const later = notDueYet(message.scheduled_at);
    if (later) return later;
    if (optedOut(message)) return { fail: OPTED_OUT };
    // An earlier attempt claimed it and never recorded WhatsApp's answer (it died mid-send): never send it blindly
    // again.
    if (message.status === 'sending' && message.sending_since !== null) return { fail: SEND_OUTCOME_UNKNOWN };
    if (!d360.configured) return { fail: NOT_CONFIGURED };
    if (refusesUsMarketing(message.template_category, message.phone_number, allowUsMarketing))
      return { fail: 'marketing_to_us_number' };
    const window = sendTimeWindow(
      { ...message, last_inbound_at: message.recipient_last_inbound_at },
      serviceWindowPolicy,
    );
    if (window === 'refuse') return { fail: 'outside_service_window' };
    return window === 'fallback' ? 'fallback' : 'claim';
  }

  /**
   * Takes the row locks and moves the due messages to `sending`, in one transaction; from
   * then on a DELETE answers 409, so a cancel and a send can never both win. Ids without a
   * row are left out of the answer.
   */
  async function claimMessages(ids: number[]): Promise<Map<number, ClaimResult>> {
    return db.transaction(async (trx) => {
      const claims = new Map<number, ClaimResult>();
      const sending: number[] = [];
      const fallbacks: number[] = [];
      const locked = (await messages.lockForSend(ids, trx)).map((message) => ({ message, decided: verdict(message) }));
      // WhatsApp's state at this instant may still hold a claimable single message back: it waits `deferred`.
      const held = await holds.holdsFor(
        locked.filter((l) => l.decided === 'claim').map((l) => l.message),
        trx,
      );
      for (const { message, decided } of locked) {
        const hold = held.get(message.id);
        if (hold) {
          await messages.markDeferred(message.id, hold.until, hold.code, hold.message, trx);
          claims.set(message.id, {
            outcome: 'not_due',
            scheduledAt: hold.until.toISOString(),
            held: { code: hold.code, message: hold.message },
          });
          continue;
        }
        if (decided === 'claim' || decided === 'fallback') {
          sending.push(message.id);
          if (decided === 'fallback') fallbacks.push(message.id);
          const content =
            decided === 'fallback'
              ? { ...message, type: 'template' as const, template: message.fallback_template }
              : message;
          claims.set(message.id, { outcome: 'claimed', request: toCloudApiMessage(content) });
          continue;
        }
        if ('fail' in decided) {
          await messages.markFailed(message.id, decided.fail, explain(decided.fail), trx);
          claims.set(message.id, {
            outcome: 'settled',
            result: { status: 'failed', code: decided.fail, message: explain(decided.fail) },
          });
          continue;
        }
        claims.set(message.id, decided);
      }
      await messages.markSending(sending, trx);
      await messages.markFallbackUsed(fallbacks, trx);
      return claims;
    });
  }

  /** The HTTP call once the slot's wait is over: retryable errors throw, permanent ones return. */
  async function sendAfter(waitMs: number, request: CloudApiMessage): Promise<SendOutcome> {
    // A pair-rate wait can outlast the heartbeat timeout: beat while waiting.
    for (let left = waitMs; left > 0; left -= HEARTBEAT_WAIT_MS) {
      const piece = Math.min(left, HEARTBEAT_WAIT_MS);
      await sleep(piece);
      // The callers beat around each send; a beat after every sub-second slot wait only costs the worker.
      if (piece >= MIN_WAIT_TO_BEAT_MS) heartbeat();
    }
    const result = await d360.sendMessage(request);
    if (result.ok) return { status: 'sent', providerMessageId: result.providerMessageId };
    if (result.error.retryable) throw ApplicationFailure.retryable(result.error.message, result.error.code);
    return { status: 'failed', code: result.error.code, message: result.error.message };
  }

  /**
   * Slots for these sends, spaced to D360_MAX_MESSAGES_PER_SECOND and to PAIR_RATE_SECONDS per
   * recipient across every worker: how long each waits (later messages to one person wait, never fail).
   */
  async function reserveSendSlots(phones: string[]): Promise<number[]> {
    const [rate, pair] = await Promise.all([
      sendRate.reserveSlots(maxMessagesPerSecond, phones.length),
      pairRate.reserve(phones, pairRateSeconds),
    ]);
    return rate.map((wait, i) => Math.max(wait, pair[i]));
  }

  return {
    claimMessages,
    reserveSendSlots,
    sendAfter,

    recordSent: (sent: { id: number; providerMessageId: string }[]) => messages.markSent(sent),

    /** Before the HTTP call, nothing was sent: the claim is let go so a retry may send. */
    releaseClaim: (messageId: number) => messages.releaseClaim([messageId]),

    /** A retryable answer from WhatsApp: the attempt is over (the row may be claimed and sent again). */
    recordError: (messageId: number, code: string, message: string) =>
      messages.recordError(messageId, code, message).then(() => undefined),

    /**
     * 131049 (Meta's per-user marketing cap) the first time: not retried at once, the message is
     * `deferred` for MARKETING_CAP_RETRY with the reason; returns when it is due again. A single
     * message's own workflow waits for that; a broadcast delivery gets a retry workflow through the
     * outbox. Undefined: record as usual (not 131049, retry off, or this was the retry).
     */
    async deferIfMarketingCapped(messageId: number, outcome: SendOutcome): Promise<string | undefined> {
      if (outcome.status !== 'failed' || outcome.code !== MARKETING_CAP_CODE || !marketingCapRetryMs || !taskQueue)
        return undefined;
      return db.transaction(async (trx) => {
        const message = await messages.find(messageId, trx);
        if (!message) return undefined;
        const [deferred] = await deferForMarketingCap(
          trx,
          [messageId],
          { retryMs: marketingCapRetryMs, taskQueue },
          message.parent_id !== null,
        );
        return deferred?.scheduled_at?.toISOString();
      });
    },

    async recordOutcome(messageId: number, outcome: SendOutcome): Promise<void> {
      if (outcome.status === 'sent')
        await messages.markSent([{ id: messageId, providerMessageId: outcome.providerMessageId }]);
      else if (outcome.status === 'failed') await messages.markFailed(messageId, outcome.code, outcome.message);
    },
  };
}

export type SendPath = ReturnType<typeof createSendPath>;
