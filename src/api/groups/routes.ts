import Router from '@koa/router';
import type { IdempotentRoute } from '../middleware/idempotency';
import type { GroupsRepository } from '../../db/repositories/groups';
import { notFound } from '../../errors';
import type { GroupService } from '../../services/groups';
import { presentContact } from '../contacts/presenter';
import { pageRequest, presentPage } from '../pagination';
import { findOr404, parseId, parseInput } from '../validate';
import { presentGroup } from './presenter';
import { groupCreateSchema, groupListQuerySchema, groupPatchSchema } from './schemas';

export function groupsRouter(groups: GroupsRepository, service: GroupService, idempotent: IdempotentRoute): Router {
  const router = new Router({ prefix: '/groups' });

  const load = (rawId: string | undefined) => findOr404(rawId, (id) => groups.find(id), 'group');

  router.get('/', async (ctx) => {
    const request = pageRequest(parseInput(groupListQuerySchema, ctx.query));
    ctx.body = presentPage(ctx, await groups.list(request), request, presentGroup);
  });

  router.get('/:id', async (ctx) => {
    ctx.body = presentGroup(await load(ctx.params.id));
  });

  router.get('/:id/contacts', async (ctx) => {
    const group = await load(ctx.params.id);
    const request = pageRequest(parseInput(groupListQuerySchema, ctx.query));
    ctx.body = presentPage(ctx, await groups.members(group.id, request), request, presentContact);
  });

  router.post('/', idempotent('/groups/'), async (ctx) => {
    const input = parseInput(groupCreateSchema, ctx.request.body);
    ctx.status = 201;
    ctx.body = presentGroup(await service.create(input));
  });

  router.patch('/:id', async (ctx) => {
    const group = await load(ctx.params.id);
    const input = parseInput(groupPatchSchema, ctx.request.body);
    ctx.body = presentGroup(await service.update(group.id, input));
  });

  router.delete('/:id', async (ctx) => {
    const id = parseId(ctx.params.id);
    if (!id) throw notFound('group');
    await service.remove(id);
    ctx.status = 204;
  });

  return router;
}
