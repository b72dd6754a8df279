import { z } from 'zod';

/** The env-variable parsers every config module shares (config.ts is the only reader of process.env). */
export const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

export const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .default('false')
  .transform((value) => value === 'true' || value === '1');

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** `600` (seconds), `90s`, `10m`, `1h`, `7d` -> milliseconds. */
export const duration = (fallback: string) =>
  z
    .string()
    .trim()
    .default(fallback)
    .transform((raw, ctx) => {
      const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/.exec(raw || fallback);
      if (!match) {
        ctx.addIssue({ code: 'custom', message: 'a duration such as 600 (seconds), 10m, 1h or 7d' });
        return z.NEVER;
      }
      return Math.round(Number(match[1]) * DURATION_UNITS_MS[match[2] ?? 's']);
    });

export const keywords = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((raw) =>
      (raw.trim() || fallback)
        .split(',')
        .map((word) => word.trim())
        .filter(Boolean),
    );

/** `*`, an origin (`https://app.example.com`) or an origin with any port (`http://localhost:*`). */
export const corsOrigins = z
  .string()
  .default('')
  .transform((raw, ctx) => {
    const entries = raw
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    for (const entry of entries) {
      if (entry !== '*' && !isOriginPattern(entry)) {
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(entry)} is not an origin such as https://app.example.com or http://localhost:* (any port)`,
        });
        return z.NEVER;
      }
    }
    return entries.map((entry) => entry.toLowerCase());
  });

function isOriginPattern(entry: string): boolean {
  const anyPort = entry.endsWith(':*');
  const base = anyPort ? entry.slice(0, -2) : entry;
  try {
    const url = new URL(base);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.origin === base.toLowerCase() &&
      !(anyPort && url.port)
    );
  } catch {
    return false;
  }
}
