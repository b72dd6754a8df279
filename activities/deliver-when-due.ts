import { ApplicationFailure, Context } from '@temporalio/activity';
import type { SendOutcome } from '../workflows/definitions';
import { createBatchedSendSteps } from './batched-send-steps';
import { createDueBurst } from './due-burst';
import { recordUntilItLands } from './durable-record';
import type { HeldReason, SendPath } from './send-path';
import { retryWhileRowMayBeCommitting } from './row-commit';
import { SEND_FAILED, WORKER_STOPPING } from '../workflows/failure-codes';
import { explain } from '../src/providers/d360/errors';

export type DueDelivery =
  { kind: 'done'; outcome: SendOutcome } | { kind: 'not_due'; scheduledAt: string; held?: HeldReason };

const HEARTBEAT_EVERY_MS = 1_000;
// Messages due at the same instant leave together: their claims, slots and records share statements.
// A record is retried until it lands: failing the activity after WhatsApp took the message would leave it unknown.
// Batches run one after another, so a thousand due at one instant take two claim statements, not ten in a row.
const BATCHES = { maxBatch: 500, recordWith: recordUntilItLands };

/**
 * One message, started a little before its time: waits here (heartbeating, so a cancel or a
 * moved time reaches it), then at the instant claims, sends and records it. The engine is off
 * the critical path, so a thousand messages due together leave together. Until the claim at
 * the due time a DELETE still wins: the row lock decides, as for every send. It reports back
 * once this worker's other sends due with it have left (activities/due-burst.ts).
 */
export function createDueDelivery(messages: SendPath, stopSignal?: AbortSignal) {
  const steps = createBatchedSendSteps(messages, BATCHES);
  const burst = createDueBurst();

  async function deliverNow(messageId: number): Promise<DueDelivery> {
    const context = Context.current();
    const claim = await steps.claim(messageId);
    if (!claim) {
      retryWhileRowMayBeCommitting(`message ${messageId}`);
      return { kind: 'done', outcome: { status: 'missing' } };
    }
    if (claim.outcome === 'not_due')
      return { kind: 'not_due', scheduledAt: claim.scheduledAt, ...(claim.held ? { held: claim.held } : {}) };
    if (claim.outcome === 'settled') return { kind: 'done', outcome: claim.result };
    context.heartbeat();
    // Retryable WhatsApp errors throw, and Temporal retries this activity with backoff; the wait is over by then.
    // The error is recorded first: it closes this attempt, so the retry's claim may send again (see docs/sending.md).
    const waitMs = await steps.slot(claim.request.to).catch(async (err: unknown) => {
      await recordUntilItLands(() => messages.releaseClaim(messageId));
      throw err;
    });
    let outcome: SendOutcome;
    try {
      outcome = await messages.sendAfter(waitMs, claim.request);
    } catch (err) {
      if (err instanceof ApplicationFailure && !err.nonRetryable) {
        await recordUntilItLands(() => messages.recordError(messageId, err.type ?? SEND_FAILED, err.message));
      }
      throw err;
    }
    if (outcome.status === 'sent')
      await steps.recordSent({ id: messageId, providerMessageId: outcome.providerMessageId });
    else {
      const retryAt = await recordUntilItLands(() => messages.deferIfMarketingCapped(messageId, outcome));
      if (retryAt)
        return {
          kind: 'not_due',
          scheduledAt: retryAt,
          held: { code: 'marketing_cap_deferred', message: explain('marketing_cap_deferred') },
        };
      await recordUntilItLands(() => messages.recordOutcome(messageId, outcome));
    }
    return { kind: 'done', outcome };
  }

  return {
    async deliverWhenDue(messageId: number, dueAt: string): Promise<DueDelivery> {
      const context = Context.current();
      for (let remaining = Date.parse(dueAt) - Date.now(); remaining > 0; remaining = Date.parse(dueAt) - Date.now()) {
        // A worker shutting down hands the wait to the next worker instead of holding its shutdown.
        if (stopSignal?.aborted)
          throw ApplicationFailure.retryable(
            'the worker is shutting down; another one takes this send',
            WORKER_STOPPING,
          );
        context.heartbeat();
        await context.sleep(Math.min(HEARTBEAT_EVERY_MS, remaining));
      }
      const delivery = await burst.send(() => deliverNow(messageId));
      await burst.othersLeft();
      return delivery;
    },
  };
}
