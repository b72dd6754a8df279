import Router from '@koa/router';
import type { CountryCode } from 'libphonenumber-js/max';
import type { IdempotentRoute } from '../middleware/idempotency';
import type { Message, MessagesRepository } from '../../db/repositories/messages';
import { notFound } from '../../errors';
import type { MessageService } from '../../services/messages';
import { pageRequest, presentPage } from '../pagination';
import { parseId, parseInput } from '../validate';
import { presentMessage } from './presenter';
import { messageCreateSchema, messageListQuerySchema, messagePatchSchema } from './schemas';

export function messagesRouter(
  messages: MessagesRepository,
  service: MessageService,
  idempotent: IdempotentRoute,
  defaultRegion?: CountryCode,
): Router {
  const router = new Router({ prefix: '/whatsapp' });
  const createSchema = messageCreateSchema(defaultRegion);

  /** A broadcast parent carries per-state counts of its deliveries. */
  const present = async (message: Message) =>
    presentMessage(message, (await service.broadcastCounts([message])).get(message.id));

  const requireId = (raw: string | undefined) => {
    const id = parseId(raw);
    if (!id) throw notFound('message');
    return id;
  };

  router.get('/', async (ctx) => {
    const query = parseInput(messageListQuerySchema, ctx.query);
    const request = pageRequest(query);
    const page = await messages.list(
      { status: query.status, contact_id: query.contact_id, direction: query.direction, parent_id: query.parent_id },
      request,
    );
    const counts = await service.broadcastCounts(page.rows);
    ctx.body = presentPage(ctx, page, request, (m) => presentMessage(m, counts.get(m.id)));
  });

  router.get('/:id', async (ctx) => {
    const message = await messages.find(requireId(ctx.params.id));
    if (!message) throw notFound('message');
    ctx.body = await present(message);
  });

  router.post('/', idempotent('/whatsapp/'), async (ctx) => {
    const input = parseInput(createSchema, ctx.request.body);
    // The key's token marks the row too: a first request that died after its commit is found, not sent twice.
    const { message, created } = await service.create(input, ctx.state.idempotencyToken as string | undefined);
    if (!created) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = 201;
    ctx.body = await present(message);
  });

  router.patch('/:id', async (ctx) => {
    const id = requireId(ctx.params.id);
    const input = parseInput(messagePatchSchema, ctx.request.body);
    ctx.body = await present(await service.reschedule(id, input.scheduled_at));
  });

  router.delete('/:id', async (ctx) => {
    ctx.body = await present(await service.cancel(requireId(ctx.params.id)));
  });

  return router;
}
