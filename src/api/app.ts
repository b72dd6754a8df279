import Koa from 'koa';
import type Router from '@koa/router';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { Config } from '../config';
import { createContactsRepository } from '../db/repositories/contacts';
import { createMessagesRepository } from '../db/repositories/messages';
import type { Logger } from '../logger';
import { createMessageService } from '../services/messages';
import { contactsRouter } from './contacts/routes';
import { docsRouter } from './docs/routes';
import { healthRouter } from './health/routes';
import { messagesRouter } from './messages/routes';
import { requireApiKey } from './middleware/auth';
import { errorHandler } from './middleware/error-handler';
import { jsonBody } from './middleware/json-body';
import { ignoreTrailingSlash, requestLog } from './middleware/request-log';

export interface AppDeps {
  config: Config;
  db: Knex;
  temporal: Client;
  logger: Logger;
}

export function buildApp({ config, db, temporal, logger }: AppDeps): Koa {
  const app = new Koa();
  app.proxy = true;
  app.silent = true;
  const region = config.defaultPhoneRegion;
  const messageService = createMessageService({ db, temporal, taskQueue: config.temporal.taskQueue, logger });

  const routers: Router[] = [
    healthRouter(db, temporal),
    docsRouter(),
    contactsRouter(createContactsRepository(db), region),
    messagesRouter(createMessagesRepository(db), messageService, region),
  ];

  app.use(requestLog(logger));
  app.use(errorHandler(logger));
  app.use(ignoreTrailingSlash);
  app.use(requireApiKey(config.apiKey));
  app.use(jsonBody);
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods({ throw: true }));
  }
  return app;
}
