import type { Knex } from 'knex';
import { createSegmentsRepository } from '../db/repositories/segments';
import { fieldError } from '../errors';
import { segmentFilterSchema, type SegmentFilter } from './segment-filter';

/** A query of member contact ids, as SQL with `?` placeholders and its bindings. */
export interface MemberIdsSql {
  sql: string;
  bindings: readonly unknown[];
}

/** What a broadcast or status row stores when it targets a segment. */
export interface SegmentAudience {
  segment_id: number;
  audience_filter: SegmentFilter;
}

/** Checks the segment exists and copies its filter: the copy is used only if the segment is deleted before the send. */
export async function segmentAudience(db: Knex, segmentId: number, field = 'segment_id'): Promise<SegmentAudience> {
  const segment = await createSegmentsRepository(db).find(segmentId);
  if (!segment) throw fieldError(field, `no segment with id ${segmentId}`);
  return { segment_id: segment.id, audience_filter: segment.filter };
}

/**
 * At send time: the segment's filter as it is now (edits since scheduling count), or the
 * copy when the segment was deleted. Undefined for a broadcast that targets no segment.
 */
export async function membersAtSendTime(
  trx: Knex,
  row: { segment_id?: number | null; audience_filter?: SegmentFilter | null },
): Promise<MemberIdsSql | undefined> {
  if (!row.audience_filter && !row.segment_id) return undefined;
  const live = row.segment_id ? await createSegmentsRepository(trx).find(row.segment_id, trx) : undefined;
  // A stored filter is re-read through the schema so a later schema default applies to old rows too.
  const filter = segmentFilterSchema.parse(live?.filter ?? row.audience_filter);
  // SQL text, not the builder: an awaited builder would run the query.
  const { sql, bindings } = createSegmentsRepository(trx)
    .members(filter, trx)
    .clearSelect()
    .select('contacts.id')
    .toSQL();
  return { sql, bindings };
}

/** A broadcast parent aimed at a segment: no phone, no groups (audience_group_ids null), the segment's members at
 * send time. */
export async function segmentBroadcastTarget(db: Knex, segmentId: number) {
  return {
    kind: 'broadcast' as const,
    contact_id: null,
    phone_number: null,
    group_id: null,
    audience_group_ids: null,
    ...(await segmentAudience(db, segmentId)),
  };
}
