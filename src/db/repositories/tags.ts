import type { Knex } from 'knex';
import { CONTACTS_TABLE } from './contacts';
import { escapeLike, type Page, type PageRequest } from './pagination';

export interface TagCount {
  tag: string;
  count: number;
}

/** Tags exist only on contacts: counting them is a GROUP BY over the unnested arrays. */
export function createTagsRepository(db: Knex) {
  return {
    async list(filter: { prefix?: string }, { page, pageSize }: PageRequest): Promise<Page<TagCount>> {
      const tags = db(CONTACTS_TABLE).select(db.raw('unnest(tags) AS tag'));
      const counted = db
        .from(tags.as('t'))
        .select('tag')
        .count<{ tag: string; count: string }[]>({ count: '*' })
        .groupBy('tag');
      if (filter.prefix) counted.whereLike('tag', `${escapeLike(filter.prefix)}%`);
      const [{ total }] = await db.from(counted.clone().as('c')).count<{ total: string }[]>({ total: '*' });
      const rows = await counted
        .orderBy([
          { column: 'count', order: 'desc' },
          { column: 'tag', order: 'asc' },
        ])
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      return { count: Number(total), rows: rows.map((r) => ({ tag: r.tag, count: Number(r.count) })) };
    },
  };
}
