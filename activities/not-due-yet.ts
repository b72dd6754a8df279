// A timer may fire a hair before the stored time; this much early is still on time.
const EARLY_TOLERANCE_MS = 1_000;

/**
 * The answer for a row whose time is still ahead (beyond timer jitter), so the workflow sleeps again; undefined once it
 * is due.
 */
export function notDueYet(scheduledAt: Date | null): { outcome: 'not_due'; scheduledAt: string } | undefined {
  if (scheduledAt && scheduledAt.getTime() > Date.now() + EARLY_TOLERANCE_MS)
    return { outcome: 'not_due', scheduledAt: scheduledAt.toISOString() };
  return undefined;
}
