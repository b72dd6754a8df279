import Router from '@koa/router';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import { webhookEvents } from '../../metrics/registry';
import type { WebhookService } from '../../services/webhooks';
import { extractEvents } from './events';
import { webhookBodySchema } from './schemas';

export const WEBHOOK_PATH = '/webhooks/360dialog';

/** 360Dialog's webhook: validate, hand every event to Temporal, answer 200. The secret is checked before (webhook-secret.ts). */
export function webhooksRouter(service: WebhookService, logger: Logger): Router {
  const router = new Router();

  router.post(WEBHOOK_PATH, async (ctx) => {
    const parsed = webhookBodySchema.safeParse(ctx.request.body);
    if (!parsed.success) {
      const problems = parsed.error.issues.slice(0, 5).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
      logger.debug({ requestId: ctx.state.requestId, problems }, 'not a WhatsApp webhook');
      throw new AppError(400, 'invalid_webhook', 'the body is not a WhatsApp Business Account webhook', problems);
    }
    const events = extractEvents(parsed.data);
    webhookEvents.inc({ kind: 'message' }, events.messages.length);
    webhookEvents.inc({ kind: 'status' }, events.statuses.length);
    webhookEvents.inc({ kind: 'ignored' }, events.ignored.length);
    await service.dispatch(events);
    ctx.body = { received: { messages: events.messages.length, statuses: events.statuses.length, ignored: events.ignored.length } };
  });

  return router;
}
