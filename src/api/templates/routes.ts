import Router from '@koa/router';
import type { TemplatesRepository } from '../../db/repositories/templates';
import type { createTemplateSubmitter } from '../../templates/submit';
import type { IdempotentRoute } from '../middleware/idempotency';
import { pageRequest, presentPage } from '../pagination';
import { findOr404, parseInput } from '../validate';
import { presentTemplate } from './presenter';
import { templateCreateSchema, templateListQuerySchema } from './schemas';

/** WhatsApp templates as the templates-sync workflow last read them from 360Dialog. */
export function templatesRouter(
  templates: TemplatesRepository,
  submit: ReturnType<typeof createTemplateSubmitter>,
  idempotent: IdempotentRoute,
): Router {
  const router = new Router({ prefix: '/templates' });

  router.get('/', async (ctx) => {
    const query = parseInput(templateListQuerySchema, ctx.query);
    const request = pageRequest(query);
    ctx.body = presentPage(ctx, await templates.list(query, request), request, presentTemplate);
  });

  router.get('/:id', async (ctx) => {
    ctx.body = presentTemplate(await findOr404(ctx.params.id, (id) => templates.find(id), 'template'));
  });

  router.post('/', idempotent('/templates/'), async (ctx) => {
    const input = parseInput(templateCreateSchema, ctx.request.body);
    ctx.status = 201;
    ctx.body = presentTemplate(await submit(input));
  });

  return router;
}
