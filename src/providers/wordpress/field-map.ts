/**
 * Reads values out of a WordPress entry by dot path. Plugins nest values in ways a plain
 * `a.b.c` cannot reach, so a path also:
 * - matches keys that themselves contain dots (Gravity Forms input ids such as "1.3");
 * - steps into JSON held in a string (Fluent Forms keeps answers in `response`);
 * - on an array, takes an index ("items.0") or the item whose key/name/id equals the
 *   segment, and then its `value` (Elementor's `values: [{key, value}]`).
 * Several paths separated by commas are alternatives (see pickText / joinText).
 */
export function readPath(entry: unknown, path: string): unknown {
  return walk(
    entry,
    path.split('.').filter((s) => s !== ''),
  );
}

function walk(value: unknown, segments: string[]): unknown {
  if (segments.length === 0) return value;
  const current = parseJsonText(value);
  if (Array.isArray(current)) {
    const [head, ...rest] = segments;
    if (/^\d+$/.test(head)) return walk(current[Number(head)], rest);
    const item = current.find((i) => isObject(i) && [i.key, i.name, i.id, i.label].some((k) => String(k) === head));
    if (item === undefined) return undefined;
    return rest.length === 0 && isObject(item) && 'value' in item ? item.value : walk(item, rest);
  }
  if (!isObject(current)) return undefined;
  // The longest key first, so "1.3" beats "1" followed by "3".
  for (let end = segments.length; end >= 1; end--) {
    const key = segments.slice(0, end).join('.');
    if (Object.prototype.hasOwnProperty.call(current, key)) {
      const found = walk(current[key], segments.slice(end));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return value;
  try {
    return JSON.parse(text);
  } catch {
    return value;
  }
}

/** A scalar as trimmed text; WordPress sometimes renders `{rendered: "..."}` objects. */
export function asText(value: unknown): string | undefined {
  if (isObject(value) && typeof value.rendered === 'string') return asText(value.rendered);
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value) && value.length > 0) return asText(value[0]);
  return undefined;
}

const alternatives = (paths: string) =>
  paths
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);

/** The first of the comma-separated paths that holds a value. */
export function pickText(entry: unknown, paths: string): string | undefined {
  for (const path of alternatives(paths)) {
    const text = asText(readPath(entry, path));
    if (text !== undefined) return text;
  }
  return undefined;
}

/** Every comma-separated path that holds a value, joined by a space (first + last name). */
export function joinText(entry: unknown, paths: string): string | undefined {
  const parts = alternatives(paths)
    .map((path) => asText(readPath(entry, path)))
    .filter((t): t is string => Boolean(t));
  return parts.length > 0 ? parts.join(' ') : undefined;
}
