import Router from '@koa/router';
import type { IdempotentRoute } from '../middleware/idempotency';
import type { StatusPost, StatusPostsRepository } from '../../db/repositories/status-posts';
import { notFound } from '../../errors';
import type { StatusPostService } from '../../services/status-posts';
import { pageRequest, presentPage } from '../pagination';
import { parseId, parseInput } from '../validate';
import { presentStatusPost } from './presenter';
import { statusPostCreateSchema, statusPostListQuerySchema } from './schemas';

export function statusPostRouter(
  statuses: StatusPostsRepository,
  service: StatusPostService,
  idempotent: IdempotentRoute,
): Router {
  const router = new Router({ prefix: '/status' });

  const requireId = (raw: string | undefined) => {
    const id = parseId(raw);
    if (!id) throw notFound('status');
    return id;
  };
  const present = async (status: StatusPost) => presentStatusPost((await service.view([status]))[0]);

  router.get('/', async (ctx) => {
    const query = parseInput(statusPostListQuerySchema, ctx.query);
    const request = pageRequest(query);
    const page = await statuses.list({ status: query.status }, request);
    const views = await service.view(page.rows);
    ctx.body = presentPage(ctx, { count: page.count, rows: views }, request, presentStatusPost);
  });

  router.get('/:id', async (ctx) => {
    const status = await statuses.find(requireId(ctx.params.id));
    if (!status) throw notFound('status');
    ctx.body = await present(status);
  });

  router.post('/', idempotent('/status/'), async (ctx) => {
    const input = parseInput(statusPostCreateSchema, ctx.request.body);
    ctx.status = 201;
    ctx.body = await present(await service.create(input));
  });

  router.delete('/:id', async (ctx) => {
    ctx.body = await present(await service.cancel(requireId(ctx.params.id)));
  });

  return router;
}
