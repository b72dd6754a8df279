import Router from '@koa/router';
import type { Knex } from 'knex';
import type { CountryCode } from 'libphonenumber-js/max';
import { createOptOutsRepository, type OptOut } from '../../db/repositories/opt-outs';
import { notFound } from '../../errors';
import type { Logger } from '../../logger';
import type { ContactService } from '../../services/contacts';
import { pageRequest, presentPage } from '../pagination';
import { parseInput } from '../validate';
import { optOutListQuerySchema, optOutRemoveSchema } from './schemas';

export const presentOptOut = (o: OptOut) => ({
  phone_number: o.phone_number,
  source: o.source,
  created_at: o.created_at.toISOString(),
});

/** The suppression list: read for an audit; an entry leaves it only by the person's START or this logged call. */
export function optOutsRouter(
  db: Knex,
  contactService: ContactService,
  logger: Logger,
  defaultRegion?: CountryCode,
): Router {
  const router = new Router({ prefix: '/opt-outs' });
  const optOuts = createOptOutsRepository(db);
  const removeSchema = optOutRemoveSchema(defaultRegion);

  router.get('/', async (ctx) => {
    const request = pageRequest(parseInput(optOutListQuerySchema, ctx.query));
    ctx.body = presentPage(ctx, await optOuts.list(request), request, presentOptOut);
  });

  router.get('/:phone', async (ctx) => {
    const { phone_number } = parseInput(removeSchema.pick({ phone_number: true }), { phone_number: ctx.params.phone });
    const entry = await optOuts.find(phone_number);
    if (!entry) throw notFound('opt-out');
    ctx.body = presentOptOut(entry);
  });

  // The reason is a query parameter: DELETE requests carry no body here (and some clients cannot send one).
  router.delete('/:phone', async (ctx) => {
    const input = parseInput(removeSchema, { phone_number: ctx.params.phone, reason: ctx.query.reason });
    const removed = await contactService.removeOptOut(input.phone_number);
    if (!removed) throw notFound('opt-out');
    logger.warn(
      {
        phone_number: removed.phone_number,
        reason: input.reason,
        listed_since: removed.created_at,
        source: removed.source,
      },
      'opt-out removed by API call: this number can be messaged again',
    );
    ctx.body = { ...presentOptOut(removed), removed: true, reason: input.reason };
  });

  return router;
}
