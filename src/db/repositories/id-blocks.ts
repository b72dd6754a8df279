import type { Knex } from 'knex';

/**
 * Ids taken from a sequence `size` at a time, so a row and what refers to it by id (an outbox
 * entry's workflow id) can be written in one statement without asking Postgres for the id first.
 * Ids stay increasing within a process; across processes they interleave by block, and an
 * unused block ends in a gap when its process stops (a sequence never promised no gaps).
 */
export function createIdBlocks(db: Knex, sequence: string, size = 50): () => Promise<number> {
  const ids: number[] = [];
  let refill: Promise<void> | undefined;
  const fill = async () => {
    const { rows } = await db.raw('SELECT nextval(?::regclass) AS id FROM generate_series(1, ?) ORDER BY 1', [
      sequence,
      size,
    ]);
    ids.push(...rows.map((r: { id: string }) => Number(r.id)));
  };
  return async function nextId(): Promise<number> {
    while (ids.length === 0) {
      refill ??= fill().finally(() => {
        refill = undefined;
      });
      await refill;
    }
    return ids.shift() as number;
  };
}
