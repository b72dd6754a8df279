import Router from '@koa/router';
import type { Knex } from 'knex';
import { createSegmentsRepository, type Segment } from '../../db/repositories/segments';
import { conflict, notFound } from '../../errors';
import { rowsById, sendCsv } from '../../campaigns/csv-export';
import { CONTACT_CSV_COLUMNS } from '../contacts/csv';
import { presentContact } from '../contacts/presenter';
import { pageQuerySchema, pageRequest, presentPage } from '../pagination';
import { findOr404, parseInput } from '../validate';
import type { IdempotentRoute } from '../middleware/idempotency';
import { segmentMembersQuerySchema, segmentPatchSchema, segmentWriteSchema } from './schemas';

const presentSegment = (s: Segment, memberCount: number) => ({
  id: s.id,
  name: s.name,
  filter: s.filter,
  member_count: memberCount,
  created_at: s.created_at.toISOString(),
  updated_at: s.updated_at.toISOString(),
});

const duplicateName = (err: unknown, name?: string): never => {
  if ((err as { code?: string }).code === '23505')
    throw conflict('duplicate_segment_name', `a segment named ${name} already exists`);
  throw err;
};

export function segmentsRouter(db: Knex, idempotent: IdempotentRoute): Router {
  const router = new Router({ prefix: '/segments' });
  const segments = createSegmentsRepository(db);
  const load = (rawId: string | undefined) => findOr404(rawId, (id) => segments.find(id), 'segment');
  const present = async (segment: Segment) =>
    presentSegment(segment, (await segments.memberCounts([segment])).get(segment.id) ?? 0);

  router.get('/', async (ctx) => {
    const request = pageRequest(parseInput(pageQuerySchema, ctx.query));
    const page = await segments.list(request);
    const counts = await segments.memberCounts(page.rows);
    ctx.body = presentPage(ctx, page, request, (s) => presentSegment(s, counts.get(s.id) ?? 0));
  });

  router.post('/', idempotent('/segments/'), async (ctx) => {
    const input = parseInput(segmentWriteSchema, ctx.request.body);
    const segment = await segments.create(input).catch((err) => duplicateName(err, input.name));
    ctx.status = 201;
    ctx.body = await present(segment);
  });

  router.get('/:id', async (ctx) => {
    ctx.body = await present(await load(ctx.params.id));
  });

  router.patch('/:id', async (ctx) => {
    const existing = await load(ctx.params.id);
    const input = parseInput(segmentPatchSchema, ctx.request.body);
    const segment = await segments.update(existing.id, input).catch((err) => duplicateName(err, input.name));
    if (!segment) throw notFound('segment');
    ctx.body = await present(segment);
  });

  router.delete('/:id', async (ctx) => {
    const segment = await load(ctx.params.id);
    // Broadcasts keep a copy of the filter, so a scheduled one still reaches the same audience.
    await segments.remove(segment.id);
    ctx.status = 204;
  });

  router.get('/:id/contacts', async (ctx) => {
    const segment = await load(ctx.params.id);
    const query = parseInput(segmentMembersQuerySchema, ctx.query);
    if (query.format === 'csv') {
      return sendCsv(
        ctx,
        `segment-${segment.id}.csv`,
        CONTACT_CSV_COLUMNS,
        rowsById(segments.members(segment.filter), 'contacts.id'),
      );
    }
    const request = pageRequest(query);
    ctx.body = presentPage(ctx, await segments.membersPage(segment.filter, request), request, presentContact);
  });

  return router;
}
