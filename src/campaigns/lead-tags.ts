import { readPath } from '../providers/wordpress/field-map';
import type { FieldPaths } from '../providers/wordpress/presets';
import { cleanTags, splitTags } from './tags';

function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return splitTags(value);
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value)) return value.flatMap(textsOf);
  return [];
}

/** The entry's tags: every value under WORDPRESS_FIELD_TAGS paths plus the fixed WORDPRESS_TAGS, normalised;
 * undefined when none. */
export function leadTags(entry: unknown, fields: Pick<FieldPaths, 'tags' | 'fixedTags'>): string[] | undefined {
  const paths = (fields.tags ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const tags = cleanTags([...(fields.fixedTags ?? []), ...paths.flatMap((path) => textsOf(readPath(entry, path)))]);
  return tags.length > 0 ? tags : undefined;
}
