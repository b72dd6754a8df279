import Router, { type RouterContext } from '@koa/router';
import type { CountryCode } from 'libphonenumber-js/max';
import type { IdempotentRoute } from '../middleware/idempotency';
import { conflict, notFound } from '../../errors';
import type { ContactsRepository } from '../../db/repositories/contacts';
import type { ContactService } from '../../services/contacts';
import { groupSeatError } from '../../services/groups';
import { pageRequest, presentPage } from '../pagination';
import { findOr404, parseInput, withoutReadOnly } from '../validate';
import { presentContact } from './presenter';
import { contactListQuerySchema, contactPatchSchema, contactWriteSchema } from './schemas';
import { rowsById, sendCsv } from '../../campaigns/csv-export';
import { CONTACT_CSV_COLUMNS } from './csv';

const duplicatePhone = (err: unknown, phone?: string, groupId?: number) => {
  if ((err as { code?: string }).code === '23505')
    throw conflict('duplicate_phone_number', `a contact with phone_number ${phone} already exists`);
  return groupSeatError(err, groupId);
};

const READ_ONLY_FIELDS = [
  'id',
  'source',
  'whatsapp_user_id',
  'opted_out_at',
  'service_window_ends_at',
  'created_at',
  'updated_at',
];

export function contactsRouter(
  contacts: ContactsRepository,
  service: ContactService,
  idempotent: IdempotentRoute,
  defaultRegion?: CountryCode,
): Router {
  const router = new Router({ prefix: '/contacts' });
  const writeSchema = contactWriteSchema(defaultRegion);
  const patchSchema = contactPatchSchema(defaultRegion);

  const load = (rawId: string | undefined) => findOr404(rawId, (id) => contacts.find(id), 'contact');

  router.get('/', async (ctx) => {
    const query = parseInput(contactListQuerySchema, ctx.query);
    const filter = { search: query.search, tags: query.tag === undefined ? undefined : [query.tag].flat() };
    if (query.format === 'csv')
      return sendCsv(ctx, 'contacts.csv', CONTACT_CSV_COLUMNS, rowsById(contacts.filtered(filter)));
    const request = pageRequest(query);
    ctx.body = presentPage(ctx, await contacts.list(filter, request), request, presentContact);
  });

  router.get('/:id', async (ctx) => {
    ctx.body = presentContact(await load(ctx.params.id));
  });

  router.post('/', idempotent('/contacts/'), async (ctx) => {
    const input = parseInput(writeSchema, withoutReadOnly(ctx.request.body, READ_ONLY_FIELDS));
    const contact = await service
      .create({ ...input, source: 'api' })
      .catch((err) => duplicatePhone(err, input.phone_number, input.group_id));
    ctx.status = 201;
    ctx.body = presentContact(contact);
  });

  const update = (schema: typeof writeSchema | typeof patchSchema) => async (ctx: RouterContext) => {
    const existing = await load(ctx.params.id);
    const input = parseInput(schema, withoutReadOnly(ctx.request.body, READ_ONLY_FIELDS));
    const contact = await service
      .update(existing.id, input)
      .catch((err) => duplicatePhone(err, input.phone_number, input.group_id));
    if (!contact) throw notFound('contact');
    ctx.body = presentContact(contact);
  };
  router.put('/:id', update(writeSchema));
  router.patch('/:id', update(patchSchema));

  router.delete('/:id', async (ctx) => {
    const contact = await load(ctx.params.id);
    await contacts.remove(contact.id);
    ctx.status = 204;
  });

  return router;
}
