/**
 * Meta's messaging limit: unique customers reached by business-initiated (template) messages
 * per rolling 24 hours: 250 -> 2,000 -> 10,000 -> 100,000 -> unlimited (since 2025-10-07).
 */
export const LIMIT_OF_TIER: Record<string, number | 'unlimited'> = {
  TIER_250: 250,
  TIER_1K: 1_000,
  TIER_2K: 2_000,
  TIER_10K: 10_000,
  TIER_100K: 100_000,
  TIER_UNLIMITED: 'unlimited',
};

/** What applies: the tier the account webhook last reported, else MESSAGING_LIMIT_PER_DAY; undefined: unlimited. */
export function effectiveLimit(
  reportedTier: string | null | undefined,
  configured: number | undefined,
): number | undefined {
  const reported = reportedTier ? LIMIT_OF_TIER[reportedTier] : undefined;
  if (reported === 'unlimited') return undefined;
  return reported ?? configured;
}

/** How many more can go now, and when the window frees a place for the rest (the oldest send leaves it; none yet: the
 * ones going now start it). */
export function allowance(
  limit: number,
  used: number,
  oldestSentAt: Date | null,
  windowMs: number,
  now = Date.now(),
): { sendable: number; resumeAt: string } {
  const sendable = Math.max(0, limit - used);
  return { sendable, resumeAt: new Date((oldestSentAt?.getTime() ?? now) + windowMs).toISOString() };
}
