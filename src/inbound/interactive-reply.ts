type Nested = Record<string, Record<string, unknown> | undefined>;

const at = (raw: Record<string, unknown>, a: string, b: string, c?: string): string | undefined => {
  const inner = (raw as Nested)[a]?.[b];
  const value = c === undefined ? inner : (inner as Record<string, unknown> | undefined)?.[c];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
};

/** At most this much of a tapped id is kept (we send ids of at most 256 characters). */
const MAX_REPLY_ID = 512;

/**
 * What a customer tapped, as WhatsApp reports it: the id of a reply button or list row we
 * sent (`interactive.button_reply` / `list_reply`), or a template quick reply's `button.payload`.
 * Undefined for anything else.
 */
export function replyIdOf(raw: Record<string, unknown>): string | undefined {
  const id =
    at(raw, 'interactive', 'button_reply', 'id') ??
    at(raw, 'interactive', 'list_reply', 'id') ??
    at(raw, 'button', 'payload');
  return id?.slice(0, MAX_REPLY_ID);
}
