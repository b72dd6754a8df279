import { RETRYABLE_HTTP, RETRYABLE_META_CODES } from '../providers/d360/errors';

/**
 * Failures worth sending again later: WhatsApp's throttles and transient errors, plus the
 * "deferred" ones where Meta holds a message back for now (per-user marketing limit, spam
 * rate limit, a temporary block). Everything else (opted out, not on WhatsApp, outside the
 * 24-hour window, bad template) fails the same way again, and unknown codes are treated
 * as permanent so a retry never spams on a guess.
 */
const DEFERRED = new Set(['131049', '131048', '368', 'rate_limited', 'send_failed']);

export type FailureClass = 'retryable' | 'permanent';

export function failureClass(code: string | null): FailureClass {
  if (!code) return 'permanent';
  if (DEFERRED.has(code)) return 'retryable';
  const numeric = /^\d+$/.test(code) ? Number(code) : NaN;
  if (RETRYABLE_META_CODES.has(numeric) || RETRYABLE_HTTP.has(numeric)) return 'retryable';
  return 'permanent';
}

/** Every code failureClass calls retryable that can be listed (for SQL filters). */
export const RETRYABLE_CODES: string[] = [...DEFERRED, ...[...RETRYABLE_META_CODES, ...RETRYABLE_HTTP].map(String)];
