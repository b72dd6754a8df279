import { createHash } from 'node:crypto';
import type { WordPressConfig } from '../../config-wordpress';

/**
 * Names one configuration of the sync: the site, preset, route, query and field map, and the
 * phone region that decides which numbers are valid. The cursor and the entry hashes belong to
 * it, so fixing a wrong field map (every row `missing_phone`) or switching presets reads
 * everything again instead of trusting a cursor that moved past rows the old settings misread.
 */
export function sourceKey(
  settings: Pick<WordPressConfig, 'url' | 'preset' | 'path' | 'query' | 'fields'>,
  region?: string,
): string {
  const { url, preset, path, query, fields } = settings;
  const sortedQuery = Object.fromEntries(Object.entries(query).sort(([a], [b]) => (a < b ? -1 : 1)));
  const canonical = JSON.stringify([
    url,
    preset,
    path,
    sortedQuery,
    [fields.id, fields.modified, fields.name, fields.phone, fields.email],
    region ?? null,
  ]);
  return `${preset}:${createHash('sha256').update(canonical).digest('hex').slice(0, 16)}`;
}
