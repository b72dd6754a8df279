import type { Knex } from 'knex';

export interface PageRequest {
  page: number;
  pageSize: number;
}

export interface Page<T> {
  count: number;
  rows: T[];
}

/** Counts and fetches one page of a filtered query, newest first. */
export async function fetchPage<Row>(query: Knex.QueryBuilder, { page, pageSize }: PageRequest): Promise<Page<Row>> {
  const [{ count }] = await query
    .clone()
    .clearSelect()
    .clearOrder()
    .count<{ count: string | number }[]>({ count: '*' });
  const rows = await query
    .clone()
    .orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(pageSize)
    .offset((page - 1) * pageSize);
  return { count: Number(count), rows };
}

export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
