import Router from '@koa/router';
import type { Knex } from 'knex';
import { createEnrollmentsRepository } from '../../db/repositories/sequence-enrollments';
import { createSequencesRepository } from '../../db/repositories/sequences';
import { conflict } from '../../errors';
import type { SequenceService } from '../../services/sequences';
import type { IdempotentRoute } from '../middleware/idempotency';
import { pageQuerySchema, pageRequest, presentPage } from '../pagination';
import { findOr404, parseInput } from '../validate';
import { presentEnrollment, presentSequence, triggerColumns } from './presenter';
import { enrollmentCreateSchema, enrollmentListQuerySchema, sequencePatchSchema, sequenceWriteSchema } from './schemas';

const duplicateName = (err: unknown, name?: string): never => {
  if ((err as { code?: string }).code === '23505')
    throw conflict('duplicate_sequence_name', `a sequence named ${name} already exists`);
  throw err;
};

/** /sequences/ and their enrolments: thin routes over the repositories and the enrolment service. */
export function sequencesRouter(db: Knex, service: SequenceService, idempotent: IdempotentRoute): Router {
  const router = new Router({ prefix: '/sequences' });
  const sequences = createSequencesRepository(db);
  const enrollments = createEnrollmentsRepository(db);
  const load = (rawId: string | undefined) => findOr404(rawId, (id) => sequences.find(id), 'sequence');

  router.get('/', async (ctx) => {
    const request = pageRequest(parseInput(pageQuerySchema, ctx.query));
    ctx.body = presentPage(ctx, await sequences.list(request), request, presentSequence);
  });

  router.post('/', idempotent('/sequences/'), async (ctx) => {
    const { trigger, ...input } = parseInput(sequenceWriteSchema, ctx.request.body);
    const sequence = await sequences
      .create({ ...input, ...triggerColumns(trigger) })
      .catch((err) => duplicateName(err, input.name));
    ctx.status = 201;
    ctx.body = presentSequence(sequence);
  });

  router.get('/:id', async (ctx) => {
    ctx.body = presentSequence(await load(ctx.params.id));
  });

  router.patch('/:id', async (ctx) => {
    const existing = await load(ctx.params.id);
    const { trigger, ...input } = parseInput(sequencePatchSchema, ctx.request.body);
    const changes = { ...input, ...(trigger ? triggerColumns(trigger) : {}) };
    const updated = await sequences.update(existing.id, changes).catch((err) => duplicateName(err, input.name));
    ctx.body = presentSequence(updated ?? existing);
  });

  router.delete('/:id', async (ctx) => {
    const sequence = await load(ctx.params.id);
    await service.remove(sequence.id);
    ctx.status = 204;
  });

  router.get('/:id/enrollments', async (ctx) => {
    const sequence = await load(ctx.params.id);
    const query = parseInput(enrollmentListQuerySchema, ctx.query);
    const request = pageRequest(query);
    ctx.body = presentPage(ctx, await enrollments.list(sequence.id, request, query.state), request, presentEnrollment);
  });

  // Naturally idempotent: a contact is enrolled once per sequence (409 already_enrolled).
  router.post('/:id/enrollments', async (ctx) => {
    const sequence = await load(ctx.params.id);
    const { contact_id } = parseInput(enrollmentCreateSchema, ctx.request.body);
    ctx.status = 201;
    ctx.body = presentEnrollment(await service.enroll(sequence.id, contact_id));
  });

  router.get('/:id/enrollments/:enrollmentId', async (ctx) => {
    const sequence = await load(ctx.params.id);
    ctx.body = presentEnrollment(
      await findOr404(ctx.params.enrollmentId, (id) => enrollments.find(sequence.id, id), 'enrollment'),
    );
  });

  router.delete('/:id/enrollments/:enrollmentId', async (ctx) => {
    const sequence = await load(ctx.params.id);
    const enrollment = await findOr404(
      ctx.params.enrollmentId,
      (id) => enrollments.find(sequence.id, id),
      'enrollment',
    );
    ctx.body = presentEnrollment(await service.cancel(sequence.id, Number(enrollment.id)));
  });

  return router;
}
