import type { Knex } from 'knex';
import type { CountryCode } from 'libphonenumber-js/max';
import { upsertLeads } from '../db/repositories/lead-contacts';
import type { SyncCounts } from '../db/repositories/sync-runs';
import { MAX_SKIPPED_ENTRIES } from '../db/repositories/sync-runs';
import type { WordPressClient } from '../providers/wordpress/client';
import { entryStamp, laterCursor, mapEntry, seenBefore, type Lead, type SyncCursor } from '../providers/wordpress/entry';
import type { FieldPaths } from '../providers/wordpress/presets';

export const CONTACT_SOURCE = 'wordpress';

// Entries saved while the previous cycle was reading can carry a time just before its cursor
// (WordPress stamps before it commits), so every cycle re-reads this much before the cursor.
// Re-reading is harmless: an unchanged entry is counted as unchanged.
export const CURSOR_OVERLAP_MS = 10 * 60_000;

const withOverlap = (cursor: SyncCursor | undefined): SyncCursor | undefined =>
  cursor && { modifiedAt: new Date(Date.parse(cursor.modifiedAt) - CURSOR_OVERLAP_MS).toISOString(), id: '' };

// A route that never reports its end and never runs dry would otherwise page forever.
const MAX_PAGES = 10_000;
// Duplicate detection across pages remembers this many phones in the heartbeat (~15 bytes each).
const MAX_REMEMBERED_PHONES = 50_000;

/** Where an import stands: heartbeated after every page so a retry resumes there. */
export interface ImportProgress {
  page: number;
  counts: SyncCounts;
  cursor?: SyncCursor;
  phones: string[];
  lastPageFirstId?: string;
}

export interface ImportDeps {
  db: Knex;
  client: Pick<WordPressClient, 'fetchPage'>;
  fields: FieldPaths;
  region?: CountryCode;
  /** Wraps each page fetch (quick retries); the default calls it once. */
  fetchWithRetry?: <T>(call: () => Promise<T>) => Promise<T>;
  onPage?: (progress: ImportProgress) => Promise<void> | void;
}

export const emptyCounts = (): SyncCounts => ({
  fetched: 0, created: 0, updated: 0, unchanged: 0, skipped: 0, skippedReasons: {}, skippedEntries: [], pages: 0,
});

export const startProgress = (): ImportProgress => ({ page: 1, counts: emptyCounts(), phones: [] });

function skip(counts: SyncCounts, reason: string, entryId: string | undefined, value?: string): void {
  counts.skipped++;
  counts.skippedReasons[reason] = (counts.skippedReasons[reason] ?? 0) + 1;
  if (counts.skippedEntries.length < MAX_SKIPPED_ENTRIES) counts.skippedEntries.push({ entry_id: entryId ?? null, reason, ...(value ? { value } : {}) });
}

/**
 * Pages through the lead route from `progress.page`, upserting each page in one
 * transaction. Entries at or before `since` were handled by an earlier cycle; the rest
 * are upserted by phone, so a route that ignores every filter still converges.
 */
export async function importLeads(deps: ImportDeps, since: SyncCursor | undefined, progress: ImportProgress): Promise<ImportProgress> {
  const { db, client, fields, region } = deps;
  const fetchWithRetry = deps.fetchWithRetry ?? ((call) => call());
  const state: ImportProgress = { ...progress, counts: { ...progress.counts, skippedReasons: { ...progress.counts.skippedReasons }, skippedEntries: [...progress.counts.skippedEntries] } };
  const phones = new Set(progress.phones);
  const { counts } = state;
  const skipUpTo = withOverlap(since);

  while (state.page <= MAX_PAGES) {
    const result = await fetchWithRetry(() => client.fetchPage(state.page));
    const firstId = result.entries.length > 0 ? entryStamp(result.entries[0], fields).externalId : undefined;
    // Some plugins (Elementor) answer a page past the end with the last page again.
    if (state.page > 1 && firstId !== undefined && firstId === state.lastPageFirstId) break;
    counts.fetched += result.entries.length;
    counts.pages++;

    const leads: Lead[] = [];
    for (const entry of result.entries) {
      const stamp = entryStamp(entry, fields);
      if (stamp.modifiedAt) state.cursor = laterCursor(state.cursor, { modifiedAt: stamp.modifiedAt, id: stamp.externalId ?? '' });
      if (seenBefore(stamp, skipUpTo)) {
        counts.unchanged++;
        continue;
      }
      const mapped = mapEntry(entry, fields, region);
      if (!mapped.ok) skip(counts, mapped.reason, mapped.externalId, mapped.value);
      else if (phones.has(mapped.lead.phone)) skip(counts, 'duplicate_phone', mapped.lead.externalId, mapped.lead.phone);
      else {
        if (phones.size < MAX_REMEMBERED_PHONES) phones.add(mapped.lead.phone);
        leads.push(mapped.lead);
      }
    }
    const outcomes = await db.transaction((trx) => upsertLeads(trx, CONTACT_SOURCE, leads));
    outcomes.forEach((outcome, i) => {
      if (outcome === 'older_than_contact') skip(counts, 'older_than_contact', leads[i].externalId, leads[i].phone);
      else counts[outcome]++;
    });

    state.page++;
    state.lastPageFirstId = firstId;
    state.phones = [...phones];
    await deps.onPage?.(state);
    if (result.last) break;
  }
  state.cursor = laterCursor(since, state.cursor);
  return state;
}
