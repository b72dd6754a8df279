import { coalesce } from './coalesce';
import type { ClaimResult, SendPath } from './send-path';

export type SentRecord = { id: number; providerMessageId: string };

export interface BatchOptions {
  maxBatch: number;
  /** Wraps each record (e.g. in retries: a sent message must be recorded, not sent again). */
  recordWith?: <T>(work: () => Promise<T>) => Promise<T>;
}

/**
 * The steps of a send that touch Postgres, each coalesced: the claims, send slots and
 * records of every send waiting at that moment go in one statement (or one transaction)
 * together, instead of a few round trips per message.
 */
export function createBatchedSendSteps(messages: SendPath, { maxBatch, recordWith = (work) => work() }: BatchOptions) {
  return {
    /** Undefined when the message has no row. */
    claim: coalesce(async (ids: number[]): Promise<(ClaimResult | undefined)[]> => {
      const claims = await messages.claimMessages(ids);
      return ids.map((id) => claims.get(id));
    }, maxBatch),
    /** How long to wait for this send's slot (the number's rate and the recipient's pair rate). */
    slot: coalesce((phones: string[]) => messages.reserveSendSlots(phones), maxBatch),
    recordSent: coalesce(async (sent: SentRecord[]) => {
      await recordWith(() => messages.recordSent(sent));
      return sent.map(() => undefined);
    }, maxBatch),
  };
}

export type BatchedSendSteps = ReturnType<typeof createBatchedSendSteps>;
