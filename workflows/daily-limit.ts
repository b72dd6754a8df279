import { patched, sleep, upsertMemo } from '@temporalio/workflow';
import type { Allowance, HoldCode } from '../activities/messaging-limit';
import { databaseActivities as db } from './activity-options';

/**
 * What may hold a template broadcast back, asked before each page: its template paused by
 * WhatsApp, a RED number (marketing), or the daily unique-recipient limit. A broadcast that is not
 * a template is never asked about again in this run.
 */
export function createDailyLimit(messageId: number) {
  // Broadcasts that started before this check existed replay without it (their histories have no such activity).
  let limited = patched('messaging-limit');
  return {
    /** The ids that may go now, and when the rest may (undefined: all of them go). */
    async sendable(
      ids: number[],
      inFlight: Set<Promise<void>>,
    ): Promise<{ ids: number[]; resumeAt?: string; code?: HoldCode }> {
      if (!limited) return { ids };
      // The count must include what the lanes are sending right now.
      await Promise.all(inFlight);
      const allowance: Allowance = await db.messagingAllowance(messageId);
      if (allowance === null) {
        limited = false;
        return { ids };
      }
      if (allowance.sendable === null || allowance.sendable >= ids.length || !allowance.resumeAt) return { ids };
      return { ids: ids.slice(0, allowance.sendable), resumeAt: allowance.resumeAt, code: allowance.code };
    },

    /** Marks the rest deferred (visible on the rows and in the memo) and sleeps, durably, until the window moves. */
    async deferUntil(afterId: number, resumeAt: string, why?: HoldCode): Promise<void> {
      const { deferred, code, message } = await db.deferDeliveries(messageId, afterId, resumeAt, why);
      upsertMemo({ deferred: { code, message, count: deferred, until: resumeAt } });
      await sleep(Math.max(1_000, Date.parse(resumeAt) - Date.now()));
      upsertMemo({ deferred: null });
    },
  };
}
