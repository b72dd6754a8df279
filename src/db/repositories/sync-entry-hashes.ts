import type { Knex } from 'knex';

export const SYNC_ENTRY_HASHES_TABLE = 'sync_entry_hashes';

export interface EntryHash {
  hash: string;
  seenAt: Date;
}

/** What the given entries held when last read under this configuration. */
export async function loadEntryHashes(
  db: Knex,
  sourceKey: string,
  entryIds: string[],
): Promise<Map<string, EntryHash>> {
  const found = new Map<string, EntryHash>();
  if (entryIds.length === 0) return found;
  const rows = await db(SYNC_ENTRY_HASHES_TABLE)
    .where({ source_key: sourceKey })
    .whereIn('entry_id', entryIds)
    .select('entry_id', 'hash', 'seen_at');
  for (const row of rows as { entry_id: string; hash: string; seen_at: Date }[])
    found.set(row.entry_id, { hash: row.hash, seenAt: row.seen_at });
  return found;
}

/**
 * Records what the entries hold now. `clock_timestamp()` rather than `now()`: a contact written in
 * the same transaction carries the transaction's start, and the next cycle compares the two.
 */
export async function saveEntryHashes(trx: Knex, sourceKey: string, hashes: Map<string, string>): Promise<void> {
  if (hashes.size === 0) return;
  const rows = [...hashes].map(([entryId, hash]) => ({
    source_key: sourceKey,
    entry_id: entryId,
    hash,
    seen_at: trx.raw('clock_timestamp()'),
  }));
  await trx(SYNC_ENTRY_HASHES_TABLE).insert(rows).onConflict(['source_key', 'entry_id']).merge(['hash', 'seen_at']);
}
