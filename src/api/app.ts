import Koa from 'koa';
import type Router from '@koa/router';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Config } from '../config';
import { createAutoRepliesRepository } from '../db/repositories/auto-replies';
import { createContactsRepository } from '../db/repositories/contacts';
import { createGroupsRepository } from '../db/repositories/groups';
import { createIdempotencyKeysRepository } from '../db/repositories/idempotency-keys';
import { createStatusPostsRepository } from '../db/repositories/status-posts';
import { createMessagesRepository } from '../db/repositories/messages';
import { createSyncRunsRepository } from '../db/repositories/sync-runs';
import { createEventDeliveriesRepository } from '../db/repositories/event-deliveries';
import { createEventSubscriptionsRepository } from '../db/repositories/event-subscriptions';
import { createEventSubscriptionService } from '../services/event-subscriptions';
import { eventSubscriptionsRouter } from './event-subscriptions/routes';
import type { Logger } from '../logger';
import { createGroupService } from '../services/groups';
import { createContactService } from '../services/contacts';
import { createMessageService } from '../services/messages';
import { createStatusPostService } from '../services/status-posts';
import { createWebhookService } from '../services/webhooks';
import type { Background } from '../runtime/background';
import { createAccountWebhookService } from '../services/account-webhooks';
import { createTemplatesRepository } from '../db/repositories/templates';
import { createD360TemplatesClient } from '../providers/d360/templates-client';
import { createTemplateSubmitter } from '../templates/submit';
import { templatesRouter } from './templates/routes';
import { accountRouter } from './account/routes';
import { createAccountQualityRepository } from '../db/repositories/account-quality';
import { autoRepliesRouter } from './auto-replies/routes';
import { campaignRouters } from './campaigns';
import { sequencesRouter } from './sequences/routes';
import { createSequenceService } from '../services/sequences';
import { contactImportsRouter } from './contact-imports/routes';
import { contactsRouter } from './contacts/routes';
import { contactSyncRouter } from './contacts/sync-routes';
import { createSyncRequests } from '../services/sync-requests';
import { createOutboxSignal } from '../services/outbox-signals';
import { docsRouter } from './docs/routes';
import { groupsRouter } from './groups/routes';
import { statusPostRouter } from './status-posts/routes';
import { healthRouter } from './health/routes';
import { metricsRouter } from './metrics/routes';
import { httpMetrics } from './middleware/http-metrics';
import { createIdempotency } from './middleware/idempotency';
import { messagesRouter } from './messages/routes';
import { optOutsRouter } from './opt-outs/routes';
import { requireApiKey } from './middleware/auth';
import { corsPolicy } from './middleware/cors';
import { isLoopbackAddress, loopbackHostGuard } from './middleware/host-guard';
import { ignoreTrailingSlash } from './middleware/trailing-slash';
import { webhooksRouter } from './webhooks/routes';
import { wordpressWebhookRouter } from './wordpress-webhook/routes';
import { errorHandler } from './middleware/error-handler';
import { jsonBody } from './middleware/json-body';
import { temporalDeadline } from './middleware/temporal-deadline';
import { requestLog } from './middleware/request-log';
import { createD360MediaClient } from '../providers/d360/media-client';
import { createMediaUploader } from '../media/upload';
import { createMediaDownloader } from '../media/download';
import { inboundMediaRouter, mediaUploadRouter } from './media/routes';

export interface AppDeps {
  config: Config;
  db: Knex;
  temporal: Client;
  logger: Logger;
  /** The outbox dispatcher and webhook inbox of this process (src/runtime/background.ts). */
  background: Background;
}

export function buildApp({ config, db, temporal, logger, background }: AppDeps): Koa {
  const app = new Koa();
  // X-Forwarded-* decide ctx.ip, ctx.protocol and ctx.host (paging links): believed only behind a proxy that sets them.
  app.proxy = config.trustProxy;
  app.silent = true;
  const region = config.defaultPhoneRegion;
  const idempotent = createIdempotency({
    keys: createIdempotencyKeysRepository(db),
    ttlMs: config.idempotencyTtlMs,
    logger,
  });
  const { taskQueue } = config.temporal;
  const { wakeOutbox } = background;
  const signal = createOutboxSignal(db, wakeOutbox);
  const messageService = createMessageService({ db, temporal, taskQueue, logger, wakeOutbox, rules: config.rules });

  // Routes with their own credential, checked inside the route whatever the path's spelling.
  const ownCredentialRouters: Router[] = [
    webhooksRouter(
      createWebhookService({ inbox: background.inbox, logger }),
      config.webhooks.secret,
      logger,
      createAccountWebhookService({ db, signal, taskQueue }),
    ),
    metricsRouter(db, { apiKey: config.apiKey, metricsToken: config.metricsToken }),
    wordpressWebhookRouter(db, { ...config.wordpressWebhook, taskQueue }, logger, region),
  ];
  const templates = createTemplatesRepository(db);
  const mediaClient = createD360MediaClient(config.d360);
  const contactService = createContactService(db, taskQueue);
  const routers: Router[] = [
    healthRouter(db, temporal, logger, config.backlogMaxAgeSeconds),
    docsRouter(),
    contactSyncRouter(createSyncRunsRepository(db), createSyncRequests({ signal, taskQueue }), config.wordpress),
    contactsRouter(createContactsRepository(db), contactService, idempotent, region),
    messagesRouter(createMessagesRepository(db), messageService, idempotent, region),
    inboundMediaRouter(createMediaDownloader({ messages: createMessagesRepository(db), client: mediaClient })),
    autoRepliesRouter(createAutoRepliesRepository(db), idempotent, config.autoReplyMaxRules),
    optOutsRouter(db, contactService, logger, region),
    groupsRouter(createGroupsRepository(db), createGroupService(db, config.groupCapacity), idempotent),
    templatesRouter(
      templates,
      createTemplateSubmitter({ templates, client: createD360TemplatesClient(config.d360), signal, taskQueue, logger }),
      idempotent,
    ),
    accountRouter(createAccountQualityRepository(db), templates, config.rules),
    statusPostRouter(
      createStatusPostsRepository(db),
      createStatusPostService({ db, temporal, taskQueue, logger, wakeOutbox, rules: config.rules }),
      idempotent,
    ),
    eventSubscriptionsRouter(
      createEventSubscriptionsRepository(db),
      createEventDeliveriesRepository(db),
      createEventSubscriptionService({
        db,
        temporal,
        taskQueue,
        settings: config.eventWebhooks,
        logger,
        signal,
        wakeOutbox,
      }),
      idempotent,
    ),
    ...campaignRouters({ db, taskQueue, idempotent, wakeOutbox }),
    sequencesRouter(db, createSequenceService({ db, temporal, taskQueue, logger, wakeOutbox }), idempotent),
  ];
  const mount = (router: Router) => {
    app.use(router.routes());
    app.use(router.allowedMethods({ throw: true }));
  };

  if (background.requests) app.use(background.requests.middleware);
  app.use(requestLog(logger));
  app.use(httpMetrics);
  app.use(errorHandler(logger));
  app.use(loopbackHostGuard(isLoopbackAddress(config.host) && !config.apiKey));
  app.use(corsPolicy(config.corsOrigins)); // answers preflights, which carry no credentials
  app.use(ignoreTrailingSlash);
  app.use(temporalDeadline(temporal));
  ownCredentialRouters.forEach(mount);
  app.use(requireApiKey(config.apiKey));
  // The CSV import and media uploads stream their bodies (each with its own bound): before the 1 MB JSON reader.
  mount(contactImportsRouter(db, taskQueue, region));
  mount(mediaUploadRouter(createMediaUploader({ db, client: mediaClient })));
  app.use(jsonBody);
  routers.forEach(mount);
  return app;
}
