import Router from '@koa/router';
import type { Knex } from 'knex';
import { broadcastReport } from '../../campaigns/broadcast-report';
import { retryBroadcast } from '../../campaigns/broadcast-retry';
import { rowsById, sendCsv } from '../../campaigns/csv-export';
import { createBroadcastReportsRepository } from '../../db/repositories/broadcast-reports';
import { createMessagesRepository } from '../../db/repositories/messages';
import { createBroadcastsRepository } from '../../db/repositories/broadcasts';
import { presentMessage } from '../messages/presenter';
import { pageRequest, presentPage } from '../pagination';
import { findOr404, parseInput } from '../validate';
import { presentRecipient, recipientCsvColumns } from './presenter';
import { recipientListQuerySchema } from './schemas';
import type { IdempotentRoute } from '../middleware/idempotency';

/** Reports on a broadcast (GET /whatsapp/{id}/recipients/, /report/) and its retry; a message that is no broadcast is
 * 404 here. */
export function broadcastReportsRouter(deps: {
  db: Knex;
  taskQueue: string;
  idempotent: IdempotentRoute;
  wakeOutbox: () => void;
}): Router {
  const router = new Router({ prefix: '/whatsapp' });
  const messages = createMessagesRepository(deps.db);
  const reports = createBroadcastReportsRepository(deps.db);
  const broadcasts = createBroadcastsRepository(deps.db);
  const load = (rawId: string | undefined) =>
    findOr404(
      rawId,
      async (id) => {
        const message = await messages.find(id);
        return message?.kind === 'broadcast' ? message : undefined;
      },
      'broadcast',
    );

  router.get('/:id/recipients', async (ctx) => {
    const parent = await load(ctx.params.id);
    const query = parseInput(recipientListQuerySchema, ctx.query);
    const filter = { status: query.state, error_code: query.error_code };
    if (query.format === 'csv') {
      return sendCsv(
        ctx,
        `broadcast-${parent.id}-recipients.csv`,
        recipientCsvColumns(parent),
        rowsById(reports.recipients(parent.id, filter), 'messages.id'),
      );
    }
    const request = pageRequest(query);
    ctx.body = presentPage(
      ctx,
      await reports.recipientsPage(parent.id, filter, request),
      request,
      presentRecipient(parent),
    );
  });

  router.get('/:id/report', async (ctx) => {
    ctx.body = await broadcastReport(deps.db, await load(ctx.params.id));
  });

  // Keys are scoped per broadcast: the body is empty, so one route-wide scope would replay another broadcast's retry.
  router.post(
    '/:id/retry',
    (ctx, next) => deps.idempotent(`/whatsapp/${ctx.params.id}/retry/`)(ctx, next),
    async (ctx) => {
      const parent = await load(ctx.params.id);
      const retry = await retryBroadcast(deps, parent.id);
      ctx.status = 201;
      ctx.body = presentMessage(retry, (await broadcasts.counts([retry.id])).get(retry.id));
    },
  );

  return router;
}
