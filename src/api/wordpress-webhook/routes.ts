import Router from '@koa/router';
import type { Context, Next } from 'koa';
import type { Knex } from 'knex';
import type { CountryCode } from 'libphonenumber-js/max';
import type { WordPressWebhookConfig } from '../../config-wordpress';
import { AppError } from '../../errors';
import type { Logger } from '../../logger';
import { receiveWordPressLead, submissionLead } from '../../services/wordpress-lead';
import { presentContact } from '../contacts/presenter';
import { jsonBody } from '../middleware/json-body';
import { requireWebhookSecret } from '../middleware/webhook-secret';
import { parseInput } from '../validate';
import { wordpressLeadSchema } from './schemas';

export const WORDPRESS_WEBHOOK_PATH = '/webhooks/wordpress';
export const MAX_LEAD_BYTES = 64 * 1024;

/** A form submission is a few fields: anything near the JSON reader's 1 MB is not one. */
async function smallBody(ctx: Context, next: Next): Promise<void> {
  if ((ctx.request.length ?? 0) > MAX_LEAD_BYTES)
    throw new AppError(413, 'payload_too_large', `a lead is at most ${MAX_LEAD_BYTES / 1024} KB`);
  await next();
}

/**
 * One lead the moment a WordPress form is submitted. The secret is the route's first step (no
 * spelling of the path reaches the handler without it; without WORDPRESS_WEBHOOK_SECRET nothing
 * does), then a bounded body, then the same upsert as the periodic sync: 201 for a new contact,
 * 200 for a known one (a repeated delivery changes nothing).
 */
export function wordpressWebhookRouter(
  db: Knex,
  settings: WordPressWebhookConfig & { taskQueue: string },
  logger: Logger,
  region?: CountryCode,
): Router {
  const router = new Router();
  const schema = wordpressLeadSchema(region);

  router.post(
    WORDPRESS_WEBHOOK_PATH,
    requireWebhookSecret(settings.secret, logger, { closedWithoutSecret: true }),
    smallBody,
    jsonBody,
    async (ctx) => {
      const input = parseInput(schema, ctx.request.body);
      const { outcome, contact } = await receiveWordPressLead(
        db,
        submissionLead(input, ctx.request.body, settings.tagFields, new Date()),
        settings.taskQueue,
      );
      ctx.status = outcome === 'created' ? 201 : 200;
      ctx.body = { outcome, contact: presentContact(contact) };
    },
  );

  return router;
}
