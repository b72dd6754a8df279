import Router from '@koa/router';
import type { IdempotentRoute } from '../middleware/idempotency';
import type { Status, StatusesRepository } from '../../db/repositories/statuses';
import { notFound } from '../../errors';
import type { StatusService } from '../../services/statuses';
import { pageRequest, presentPage } from '../pagination';
import { parseId, parseInput } from '../validate';
import { presentStatus } from './presenter';
import { statusCreateSchema, statusListQuerySchema } from './schemas';

export function statusRouter(statuses: StatusesRepository, service: StatusService, idempotent: IdempotentRoute): Router {
  const router = new Router({ prefix: '/status' });

  const requireId = (raw: string | undefined) => {
    const id = parseId(raw);
    if (!id) throw notFound('status');
    return id;
  };
  const present = async (status: Status) => presentStatus((await service.view([status]))[0]);

  router.get('/', async (ctx) => {
    const query = parseInput(statusListQuerySchema, ctx.query);
    const request = pageRequest(query);
    const page = await statuses.list({ status: query.status }, request);
    const views = await service.view(page.rows);
    ctx.body = presentPage(ctx, { count: page.count, rows: views }, request, presentStatus);
  });

  router.get('/:id', async (ctx) => {
    const status = await statuses.find(requireId(ctx.params.id));
    if (!status) throw notFound('status');
    ctx.body = await present(status);
  });

  router.post('/', idempotent('/status/'), async (ctx) => {
    const input = parseInput(statusCreateSchema, ctx.request.body);
    ctx.status = 201;
    ctx.body = await present(await service.create(input));
  });

  router.delete('/:id', async (ctx) => {
    ctx.body = await present(await service.cancel(requireId(ctx.params.id)));
  });

  return router;
}
