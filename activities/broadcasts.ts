import type { Knex } from 'knex';
import { broadcastFinished } from '../src/event-webhooks/emit';
import { createBroadcastsRepository, type BroadcastCounts } from '../src/db/repositories/broadcasts';
import { retryWhileRowMayBeCommitting } from './row-commit';
import { notDueYet } from './not-due-yet';
import { membersAtSendTime } from '../src/campaigns/segment-audience';

export type BroadcastStart =
  | { outcome: 'started'; recipients: number }
  | { outcome: 'not_due'; scheduledAt: string }
  | { outcome: 'settled'; status: string };

export interface BroadcastResult {
  status: string;
  counts: BroadcastCounts;
}

export function createBroadcastActivities({ db }: { db: Knex }) {
  const broadcasts = createBroadcastsRepository(db);

  return {
    /**
     * At the broadcast's time: under the parent's row lock (which a DELETE also takes),
     * moves it to `sending` and writes its recipients as they are now, so members who
     * joined or opted out since scheduling are counted correctly.
     */
    async startBroadcast(parentId: number): Promise<BroadcastStart> {
      return db.transaction(async (trx) => {
        const parent = await broadcasts.findParentForUpdate(parentId, trx);
        if (!parent) {
          retryWhileRowMayBeCommitting(`broadcast ${parentId}`);
          return { outcome: 'settled', status: 'missing' };
        }
        if (!['scheduled', 'sending'].includes(parent.status)) return { outcome: 'settled', status: parent.status };
        const later = notDueYet(parent.scheduled_at);
        if (later) return later;
        if (parent.status === 'scheduled') await broadcasts.setStatus(parentId, 'sending', trx);
        const recipients =
          parent.recipient_count ??
          (await broadcasts.writeRecipients(parentId, trx, await membersAtSendTime(trx, parent)));
        return { outcome: 'started', recipients };
      });
    },

    failDeliveries: async (ids: number[], code: string, message: string): Promise<void> => {
      await broadcasts.failUnsettled(ids, code, message);
    },

    /** Ids only: the chunk's payload stays small whatever the broadcast's size. */
    broadcastChunk: (parentId: number, afterId: number, limit: number) =>
      broadcasts.nextChunk(parentId, afterId, limit),

    /**
     * Every child is settled: the parent ends `sent`, or `failed` when no delivery succeeded; a cancelled one stays
     * cancelled.
     */
    async finishBroadcast(parentId: number): Promise<BroadcastResult> {
      return db.transaction(async (trx) => {
        const parent = await broadcasts.findParentForUpdate(parentId, trx);
        const counts = (await broadcasts.counts([parentId], trx)).get(parentId) as BroadcastCounts;
        if (!parent) return { status: 'missing', counts };
        if (parent.status !== 'sending') return { status: parent.status, counts };
        const recipients = parent.recipient_count ?? 0;
        const allFailed = recipients > 0 && counts.failed === recipients;
        const done = allFailed
          ? await broadcasts.setStatus(parentId, 'failed', trx, {
              error_code: 'all_failed',
              error_message: 'no recipient could be reached',
            })
          : await broadcasts.setStatus(parentId, 'sent', trx, { sent_at: trx.fn.now() });
        if (done) await broadcastFinished(trx, done, counts);
        return { status: done?.status ?? 'missing', counts };
      });
    },
  };
}
