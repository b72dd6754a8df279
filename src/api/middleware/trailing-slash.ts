import type { Context, Next } from 'koa';

/** `path` without its trailing slashes (`/` stays `/`); a backwards scan, linear on any input. */
export function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 1 && path.charCodeAt(end - 1) === 47 /* '/' */) end--;
  return end === path.length ? path : path.slice(0, end);
}

/** Routes are declared without a trailing slash; both spellings of every path reach them. */
export async function ignoreTrailingSlash(ctx: Context, next: Next): Promise<void> {
  const path = withoutTrailingSlashes(ctx.path);
  if (path !== ctx.path) ctx.path = path;
  return next();
}
