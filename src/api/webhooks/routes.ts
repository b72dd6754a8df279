import Router from '@koa/router';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import { webhookEvents } from '../../metrics/registry';
import type { WebhookService } from '../../services/webhooks';
import type { AccountWebhookService } from '../../services/account-webhooks';
import { jsonBody } from '../middleware/json-body';
import { requireWebhookSecret } from '../middleware/webhook-secret';
import { countEvents, extractEvents, ignoredCount, MAX_WEBHOOK_EVENTS } from './events';
import { webhookBodySchema } from './schemas';

export const WEBHOOK_PATH = '/webhooks/360dialog';

/**
 * 360Dialog's webhook: secret, then body, then every event committed to the inbox, 200. The secret check is
 * the route's own first step, so no spelling of the path the router accepts (case, slashes,
 * encoding, query) reaches the handler without it. Mounted before the API-key check: this route
 * has its own credential.
 */
export function webhooksRouter(
  service: WebhookService,
  secret: string | undefined,
  logger: Logger,
  account?: AccountWebhookService,
): Router {
  const router = new Router();

  router.post(WEBHOOK_PATH, requireWebhookSecret(secret, logger), jsonBody, async (ctx) => {
    const parsed = webhookBodySchema.safeParse(ctx.request.body);
    if (!parsed.success) {
      const problems = parsed.error.issues
        .slice(0, 5)
        .map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      logger.debug({ requestId: ctx.state.requestId, problems }, 'not a WhatsApp webhook');
      throw new AppError(400, 'invalid_webhook', 'the body is not a WhatsApp Business Account webhook', problems);
    }
    const count = countEvents(parsed.data);
    if (count > MAX_WEBHOOK_EVENTS) {
      throw new AppError(
        400,
        'too_many_events',
        `a webhook POST carries at most ${MAX_WEBHOOK_EVENTS} events (messages, statuses and errors); this one has ${count}`,
        [{ path: 'entry', message: `at most ${MAX_WEBHOOK_EVENTS} events` }],
      );
    }
    const events = extractEvents(parsed.data);
    const ignored = ignoredCount(events);
    webhookEvents.inc({ kind: 'message' }, events.messages.length);
    webhookEvents.inc({ kind: 'status' }, events.statuses.length);
    webhookEvents.inc({ kind: 'ignored' }, ignored);
    await service.dispatch(events);
    await account?.dispatch(parsed.data);
    ctx.body = { received: { messages: events.messages.length, statuses: events.statuses.length, ignored } };
  });

  return router;
}
