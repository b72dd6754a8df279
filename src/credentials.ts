import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const isSpace = (c: string) => c === ' ' || c === '\t';

/**
 * The token of `Authorization: Bearer <token>` (scheme in any case, RFC 9110), else undefined.
 * A scan, not a regex: a 16 KB header of spaces costs one pass, not a backtracking search.
 */
export function bearerToken(header: string): string | undefined {
  let start = 0;
  let end = header.length;
  while (start < end && isSpace(header[start])) start++;
  while (end > start && isSpace(header[end - 1])) end--;
  if (end - start < 7 || header.slice(start, start + 6).toLowerCase() !== 'bearer' || !isSpace(header[start + 6]))
    return undefined;
  let token = start + 7;
  while (token < end && isSpace(header[token])) token++;
  return token < end ? header.slice(token, end) : undefined;
}

// A per-process key: both sides become 32-byte MACs, so timingSafeEqual compares equal lengths and
// the time taken says nothing about the secret's content or length.
const MAC_KEY = randomBytes(32);
const mac = (value: string) => createHmac('sha256', MAC_KEY).update(value).digest();

/** Constant-time equality of a presented secret and the configured one. */
export const sameSecret = (given: string, expected: string) => timingSafeEqual(mac(given), mac(expected));

/**
 * Whether an Authorization header carries one of the accepted bearer tokens (true when none is
 * configured: the endpoint is open). Every token is compared, so which one matched is not timed either.
 */
export function bearerAccepted(authorization: string, accepted: (string | undefined)[]): boolean {
  const tokens = accepted.filter((value): value is string => Boolean(value));
  if (tokens.length === 0) return true;
  const token = bearerToken(authorization);
  const matches = tokens.map((expected) => token !== undefined && sameSecret(token, expected));
  return matches.includes(true);
}
