import type { Knex } from 'knex';
import type { CountryCode } from 'libphonenumber-js/max';
import { upsertLeads } from '../db/repositories/lead-contacts';
import { loadEntryHashes, saveEntryHashes, type EntryHash } from '../db/repositories/sync-entry-hashes';
import type { SyncCounts } from '../db/repositories/sync-runs';
import { MAX_SKIPPED_ENTRIES } from '../db/repositories/sync-runs';
import type { WordPressClient } from '../providers/wordpress/client';
import {
  entryHash,
  entryStamp,
  laterCursor,
  mapEntry,
  seenBefore,
  type Lead,
  type SyncCursor,
} from '../providers/wordpress/entry';
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
  /** Where triggered sequence workflows run. */
  taskQueue: string;
  /** The configuration's key (source-key.ts): entries without a modification time are compared by content under it. */
  sourceKey?: string;
  /** A full pass ("full": true): every entry is upserted, even one whose content has not changed. */
  full?: boolean;
  /** Wraps each page fetch (quick retries); the default calls it once. */
  fetchWithRetry?: <T>(call: () => Promise<T>) => Promise<T>;
  onPage?: (progress: ImportProgress) => Promise<void> | void;
}

export const emptyCounts = (): SyncCounts => ({
  fetched: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  skipped: 0,
  skippedReasons: {},
  skippedEntries: [],
  pages: 0,
});

export const startProgress = (): ImportProgress => ({ page: 1, counts: emptyCounts(), phones: [] });

function skip(counts: SyncCounts, reason: string, entryId: string | undefined, value?: string): void {
  counts.skipped++;
  counts.skippedReasons[reason] = (counts.skippedReasons[reason] ?? 0) + 1;
  if (counts.skippedEntries.length < MAX_SKIPPED_ENTRIES)
    counts.skippedEntries.push({ entry_id: entryId ?? null, reason, ...(value ? { value } : {}) });
}

/**
 * Pages through the lead route from `progress.page`, upserting each page in one
 * transaction. Entries at or before `since` were handled by an earlier cycle; the rest
 * are upserted by phone, so a route that ignores every filter still converges.
 */
export async function importLeads(
  deps: ImportDeps,
  since: SyncCursor | undefined,
  progress: ImportProgress,
): Promise<ImportProgress> {
  const { db, client, fields, region } = deps;
  const fetchWithRetry = deps.fetchWithRetry ?? ((call) => call());
  const state: ImportProgress = {
    ...progress,
    counts: {
      ...progress.counts,
      skippedReasons: { ...progress.counts.skippedReasons },
      skippedEntries: [...progress.counts.skippedEntries],
    },
  };
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

    // Entries without a modification time (the users route) are compared by what they hold instead.
    const stamps = result.entries.map((entry) => entryStamp(entry, fields));
    const hashed = new Map<string, string>();
    if (deps.sourceKey) {
      result.entries.forEach((entry, i) => {
        const id = stamps[i].externalId;
        if (!stamps[i].modifiedAt && id !== undefined) hashed.set(id, entryHash(entry, fields));
      });
    }
    const previous = deps.sourceKey
      ? await loadEntryHashes(db, deps.sourceKey, [...hashed.keys()])
      : new Map<string, EntryHash>();

    const leads: Lead[] = [];
    result.entries.forEach((entry, i) => {
      const stamp = stamps[i];
      if (stamp.modifiedAt)
        state.cursor = laterCursor(state.cursor, { modifiedAt: stamp.modifiedAt, id: stamp.externalId ?? '' });
      const before = stamp.externalId !== undefined ? previous.get(stamp.externalId) : undefined;
      const sameContent = before !== undefined && before.hash === hashed.get(stamp.externalId as string);
      if (seenBefore(stamp, skipUpTo) || (sameContent && !deps.full)) {
        counts.unchanged++;
        return;
      }
      const mapped = mapEntry(entry, fields, region);
      if (!mapped.ok) skip(counts, mapped.reason, mapped.externalId, mapped.value);
      else if (phones.has(mapped.lead.phone))
        skip(counts, 'duplicate_phone', mapped.lead.externalId, mapped.lead.phone);
      else {
        if (phones.size < MAX_REMEMBERED_PHONES) phones.add(mapped.lead.phone);
        // Changed since the last read: the edit happened after that read, the earliest time we can vouch for.
        if (before && !sameContent && !mapped.lead.modifiedAt) mapped.lead.modifiedAt = before.seenAt.toISOString();
        leads.push(mapped.lead);
      }
    });
    const outcomes = await db.transaction(async (trx) => {
      const done = await upsertLeads(trx, CONTACT_SOURCE, leads, { taskQueue: deps.taskQueue });
      if (deps.sourceKey) await saveEntryHashes(trx, deps.sourceKey, hashed);
      return done;
    });
    outcomes.forEach((outcome, i) => {
      if (outcome === 'older_than_contact' || outcome === 'duplicate_phone')
        skip(counts, outcome, leads[i].externalId, leads[i].phone);
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
