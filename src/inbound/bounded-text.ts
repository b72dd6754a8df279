/**
 * WhatsApp's own limit for a text body (captions and titles are shorter): nothing longer comes from a real customer.
 */
export const MAX_INBOUND_TEXT = 4096;

/** At most MAX_INBOUND_TEXT UTF-16 units, never ending in half a surrogate pair. */
export function boundedText(text: string): string {
  if (text.length <= MAX_INBOUND_TEXT) return text;
  const cut = text.slice(0, MAX_INBOUND_TEXT);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** A webhook message as stored: every string in it bounded the same way, so a forged 1 MB body stays small. */
export const boundedStrings = <T>(value: T): T =>
  JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? boundedText(v) : v))) as T;
