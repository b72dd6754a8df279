import type { Knex } from 'knex';
import type { TableWithJson } from '../row-types';
import { whereInSegment, type SegmentFilter } from '../../campaigns/segment-filter';
import type { Contact } from './contacts';
import { CONTACTS_TABLE } from './contacts';
import { fetchPage, type PageRequest } from './pagination';

export const SEGMENTS_TABLE = 'segments';

export interface Segment {
  id: number;
  name: string;
  filter: SegmentFilter;
  created_at: Date;
  updated_at: Date;
}

export function createSegmentsRepository(db: Knex) {
  const table = (trx: Knex = db) => trx<TableWithJson<Segment, 'filter'>>(SEGMENTS_TABLE);
  const members = (filter: SegmentFilter, trx: Knex = db) =>
    whereInSegment(trx(CONTACTS_TABLE).select('contacts.*'), filter);

  return {
    list: (page: PageRequest) => fetchPage<Segment>(table().select('*'), page),

    find: (id: number, trx?: Knex) => table(trx).where({ id }).first(),

    async create(input: { name: string; filter: SegmentFilter }): Promise<Segment> {
      const [row] = await table()
        .insert({ name: input.name, filter: JSON.stringify(input.filter) })
        .returning('*');
      return row as Segment;
    },

    async update(id: number, input: { name?: string; filter?: SegmentFilter }): Promise<Segment | undefined> {
      const fields = {
        name: input.name,
        filter: input.filter ? JSON.stringify(input.filter) : undefined,
        updated_at: db.fn.now(),
      };
      const [row] = await table().where({ id }).update(fields).returning('*');
      return row as Segment | undefined;
    },

    remove: async (id: number) => (await table().where({ id }).delete()) > 0,

    /** The members as they are now (a query over contacts, for paging or streaming). */
    members,

    membersPage: (filter: SegmentFilter, page: PageRequest) => fetchPage<Contact>(members(filter), page),

    async memberCounts(segments: Segment[]): Promise<Map<number, number>> {
      const counts = new Map<number, number>();
      for (const segment of segments) {
        const [{ count }] = await members(segment.filter).clearSelect().count<{ count: string }[]>({ count: '*' });
        counts.set(segment.id, Number(count));
      }
      return counts;
    },
  };
}

export type SegmentsRepository = ReturnType<typeof createSegmentsRepository>;
