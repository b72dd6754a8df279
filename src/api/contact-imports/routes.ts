import Router from '@koa/router';
import type { Knex } from 'knex';
import type { CountryCode } from 'libphonenumber-js/max';
import { importCsv, newProgress } from '../../campaigns/csv-import';
import { cleanTags } from '../../campaigns/tags';
import { createContactImportsRepository, type ContactImport } from '../../db/repositories/contact-imports';
import { AppError } from '../../errors';
import { iso } from '../contacts/presenter';
import { pageQuerySchema, pageRequest, presentPage } from '../pagination';
import { findOr404, parseInput } from '../validate';
import { importQuerySchema } from './schemas';

const present = (i: ContactImport) => ({
  id: i.id,
  status: i.status,
  rows_total: i.rows_total,
  created: i.created,
  updated: i.updated,
  unchanged: i.unchanged,
  failed: i.failed,
  error_count: i.error_count,
  errors: i.errors,
  file_sha256: i.file_sha256,
  options: i.options,
  error: i.status === 'failed' ? { code: 'import_failed', message: i.error_message ?? '' } : null,
  created_at: i.created_at.toISOString(),
  finished_at: iso(i.finished_at),
});

/**
 * POST /contacts/import/ reads its body as a stream (mounted before the 1 MB JSON body
 * reader, with its own bound in csv-import.ts); the import row shows progress while the
 * upload runs, and the response is the finished import.
 */
export function contactImportsRouter(db: Knex, taskQueue: string, defaultRegion?: CountryCode): Router {
  const router = new Router({ prefix: '/contacts/import' });
  const imports = createContactImportsRepository(db);

  router.post('/', async (ctx) => {
    if (!ctx.is('text/csv', 'text/plain', 'application/csv')) {
      throw new AppError(
        415,
        'unsupported_media_type',
        'send the file as the request body with Content-Type: text/csv',
      );
    }
    const query = parseInput(importQuerySchema, ctx.query);
    const options = {
      columns: {
        name: query.name_column,
        phone_number: query.phone_column,
        email: query.email_column,
        tags: query.tags_column,
      },
      region: (query.region as CountryCode | undefined) ?? defaultRegion,
      tags: cleanTags(query.tag === undefined ? [] : [query.tag].flat()),
      taskQueue,
    };
    const record = await imports.start({ ...options.columns, region: options.region ?? null, tags: options.tags });
    const progress = newProgress();
    try {
      await importCsv(db, ctx.req, options, progress, async (p) => {
        await imports.progress(record.id, p);
      });
    } catch (err) {
      const message =
        err instanceof AppError
          ? err.message
          : 'the import stopped on an internal error; upload the file again to finish it';
      await imports.fail(record.id, progress, message);
      if (err instanceof AppError)
        throw new AppError(
          err.status,
          err.code,
          `${err.message} (import ${record.id}; rows before the problem were imported)`,
        );
      throw err;
    }
    ctx.status = 201;
    ctx.set('Location', `/contacts/import/${record.id}/`);
    ctx.body = present((await imports.finish(record.id, progress)) as ContactImport);
  });

  router.get('/', async (ctx) => {
    const request = pageRequest(parseInput(pageQuerySchema, ctx.query));
    ctx.body = presentPage(ctx, await imports.list(request), request, present);
  });

  router.get('/:id', async (ctx) => {
    ctx.body = present(await findOr404(ctx.params.id, (id) => imports.find(id), 'import'));
  });

  return router;
}
