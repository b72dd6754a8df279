import { createHmac, randomBytes } from 'node:crypto';

/** The header every event delivery carries, Stripe-style: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`. */
export const SIGNATURE_HEADER = 'Wa-Signature';
/** The event id, the same on every attempt, so a receiver can drop duplicates. */
export const EVENT_ID_HEADER = 'Wa-Event-Id';

/** A subscription's secret: shown once at creation, prefixed so it is recognisable in a leak scan. */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** The signature header value for `body` sent at `at`; the timestamp is signed too, so an old delivery cannot be
 * replayed later. */
export function signPayload(secret: string, body: string, at: Date = new Date()): string {
  const t = Math.floor(at.getTime() / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}
