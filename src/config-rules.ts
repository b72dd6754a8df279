import { z } from 'zod';

export const SERVICE_WINDOW_POLICIES = ['enforce', 'warn', 'off'] as const;
export type ServiceWindowPolicy = (typeof SERVICE_WINDOW_POLICIES)[number];

const UNITS_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `30s`, `15m`, `1h`, `1d` (a bare number is seconds), or `off` -> milliseconds or undefined; at least 10 seconds. */
const intervalOrOff = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .transform((raw, ctx) => {
      const value = (raw || fallback).toLowerCase();
      if (value === 'off') return undefined;
      const match = /^(\d+)\s*(s|m|h|d)?$/.exec(value);
      const ms = match ? Number(match[1]) * UNITS_MS[match[2] ?? 's'] : 0;
      if (ms < 10_000) {
        ctx.addIssue({ code: 'custom', message: 'an interval such as 15m, 1h or 1d (at least 10s), or off' });
        return z.NEVER;
      }
      return ms;
    });

/** Spread into the env schema of config.ts: WhatsApp's rules that we check before sending. */
export const rulesEnvShape = {
  SERVICE_WINDOW_POLICY: z
    .string()
    .trim()
    .toLowerCase()
    .default('warn')
    .transform((raw) => raw || 'warn')
    .pipe(z.enum(SERVICE_WINDOW_POLICIES, { error: `must be one of ${SERVICE_WINDOW_POLICIES.join(', ')}` })),
  TEMPLATE_SYNC_INTERVAL: intervalOrOff('1h'),
  ALLOW_US_MARKETING_TEMPLATES: z
    .enum(['true', 'false', '1', '0', ''])
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
  PAIR_RATE_SECONDS: z.coerce.number().min(0).max(3_600).default(6),
  MESSAGING_LIMIT_PER_DAY: z
    .string()
    .trim()
    .toLowerCase()
    .default('unlimited')
    .transform((raw, ctx) => {
      if (raw === '' || raw === 'unlimited') return undefined;
      const limit = Number(raw);
      if (!Number.isInteger(limit) || limit < 1) {
        ctx.addIssue({
          code: 'custom',
          message: 'a number of recipients per day (250, 2000, 10000, 100000) or unlimited',
        });
        return z.NEVER;
      }
      return limit;
    }),
  MARKETING_CAP_RETRY: intervalOrOff('24h'),
  PAUSE_ON_RED_QUALITY: z
    .enum(['true', 'false', '1', '0', ''])
    .default('true')
    .transform((value) => value !== 'false' && value !== '0'),
  // How often a paused broadcast looks again whether it may go on.
  PAUSE_RECHECK_INTERVAL: intervalOrOff('5m'),
  // Meta's window is a rolling 24 hours; shorter only to watch a deferral happen (tests, demos).
  MESSAGING_LIMIT_WINDOW: intervalOrOff('24h'),
};

type RulesEnv = { [K in keyof typeof rulesEnvShape]: z.output<(typeof rulesEnvShape)[K]> };

export interface RulesConfig {
  /** What a free-text or media message gets when the 24-hour window will be closed at its time. */
  serviceWindowPolicy: ServiceWindowPolicy;
  /** How often the templates-sync workflow re-reads 360Dialog's template list; undefined: only on webhooks and
   * requests. */
  templateSyncIntervalMs?: number;
  /** Meta delivers no marketing templates to US (+1) numbers since 2025-04; true once it does again. */
  allowUsMarketing: boolean;
  /** At most one message to the same recipient per this many seconds (Meta's pair rate, 131056); 0: unlimited. */
  pairRateSeconds: number;
  /** Unique recipients of business-initiated (template) messages per window; undefined: unlimited unless the account
   * webhook reports a tier. */
  messagingLimitPerDay?: number;
  messagingLimitWindowMs: number;
  /** 131049 (per-user marketing cap): retried once after this long; undefined: fail at once. */
  marketingCapRetryMs?: number;
  /** A RED number quality pauses running marketing broadcasts until it improves. */
  pauseOnRedQuality: boolean;
  pauseRecheckMs: number;
}

export const rulesConfig = (e: RulesEnv): RulesConfig => ({
  serviceWindowPolicy: e.SERVICE_WINDOW_POLICY,
  templateSyncIntervalMs: e.TEMPLATE_SYNC_INTERVAL,
  allowUsMarketing: e.ALLOW_US_MARKETING_TEMPLATES,
  pairRateSeconds: e.PAIR_RATE_SECONDS,
  messagingLimitPerDay: e.MESSAGING_LIMIT_PER_DAY,
  messagingLimitWindowMs: e.MESSAGING_LIMIT_WINDOW ?? 24 * 3_600_000,
  marketingCapRetryMs: e.MARKETING_CAP_RETRY,
  pauseOnRedQuality: e.PAUSE_ON_RED_QUALITY,
  pauseRecheckMs: e.PAUSE_RECHECK_INTERVAL ?? 5 * 60_000,
});
