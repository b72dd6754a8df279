import type { Context } from 'koa';
import { z } from 'zod';
import type { Page } from '../db/repositories/pagination';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;

export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  page_size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

export const pageRequest = (query: z.output<typeof pageQuerySchema>) => ({
  page: query.page,
  pageSize: query.page_size,
});

export const pagedSchema = <T extends z.ZodType>(item: T) =>
  z.object({
    count: z.number().int(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(item),
  });

/**
 * The request's own URL with another page number. Koa 3's ctx.origin is the Origin header,
 * not our address, so the base is built from protocol and Host; a Host that makes no URL
 * yields a relative link rather than a 500.
 */
function pageUrl(ctx: Context, page: number): string {
  const url = new URL(ctx.originalUrl, 'http://placeholder.invalid');
  url.searchParams.set('page', String(page));
  const relative = `${url.pathname}${url.search}`;
  try {
    return new URL(relative, `${ctx.protocol}://${ctx.host}`).toString();
  } catch {
    return relative;
  }
}

/** DRF-style page: `{count, next, previous, results}` with absolute links. */
export function presentPage<Row, Out>(
  ctx: Context,
  page: Page<Row>,
  request: { page: number; pageSize: number },
  present: (row: Row) => Out,
) {
  const lastPage = Math.max(1, Math.ceil(page.count / request.pageSize));
  return {
    count: page.count,
    next: request.page < lastPage ? pageUrl(ctx, request.page + 1) : null,
    previous: request.page > 1 ? pageUrl(ctx, Math.min(request.page - 1, lastPage)) : null,
    results: page.rows.map(present),
  };
}
