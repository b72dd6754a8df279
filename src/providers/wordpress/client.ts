import { WORDPRESS_BAD_REPLY } from '../../../workflows/failure-codes';
import { httpError, networkError, WordPressError } from './errors';
import type { PagingStyle } from './presets';

export interface WordPressClientOptions {
  url: string;
  username?: string;
  appPassword?: string;
  timeoutMs: number;
  perPage: number;
  path: string;
  paging: PagingStyle;
  query: Record<string, string>;
  /** Aborts requests in flight (the activity was cancelled, the worker is shutting down). */
  signal?: AbortSignal;
}

export interface EntriesPage {
  entries: unknown[];
  totalPages?: number;
  /** True when no page follows this one. */
  last: boolean;
}

export const USER_AGENT = 'wa-automation (WordPress lead sync; +https://github.com/wa-automation)';

// WordPress's own "page past the end" answers; the users route gives an empty array instead.
const PAST_END_CODES = new Set(['rest_post_invalid_page_number', 'rest_invalid_page_number']);
const ENTRY_KEYS = ['entries', 'data', 'submissions', 'items', 'results'];

const toCount = (value: unknown) => {
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : undefined;
};

function totalPagesOf(body: Record<string, unknown>, headers: Headers, perPage: number): number | undefined {
  const header = toCount(headers.get('x-wp-totalpages') ?? undefined);
  if (header !== undefined) return header;
  const meta = body.meta as { pagination?: { last_page?: unknown; total_pages?: unknown } } | undefined;
  const fromBody = toCount(
    meta?.pagination?.last_page ?? meta?.pagination?.total_pages ?? body.last_page ?? body.total_pages,
  );
  if (fromBody !== undefined) return fromBody;
  const total = toCount(body.total_count ?? body.total ?? headers.get('x-wp-total') ?? undefined);
  return total === undefined ? undefined : Math.ceil(total / perPage);
}

/** Reads one page of a lead route, whatever envelope the plugin wraps entries in. */
export function createWordPressClient(options: WordPressClientOptions) {
  const { url, username, appPassword, timeoutMs, perPage, path, paging, query, signal } = options;
  const authorization =
    username && appPassword ? `Basic ${Buffer.from(`${username}:${appPassword}`).toString('base64')}` : undefined;

  function pageUrl(page: number): URL {
    const target = new URL(`${url.replace(/\/+$/, '')}${path}`);
    for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
    if (paging === 'gravity') {
      target.searchParams.set('paging[page_size]', String(perPage));
      target.searchParams.set('paging[current_page]', String(page));
    } else {
      target.searchParams.set('per_page', String(perPage));
      target.searchParams.set('page', String(page));
    }
    return target;
  }

  async function fetchPage(page: number): Promise<EntriesPage> {
    const target = pageUrl(page);
    const shown = `${target.origin}${target.pathname}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(target, {
        headers: { accept: 'application/json', 'user-agent': USER_AGENT, ...(authorization ? { authorization } : {}) },
        signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      throw networkError(err, shown, timeoutMs);
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    if (response.status === 400 && PAST_END_CODES.has((body as { code?: string } | undefined)?.code ?? '')) {
      return { entries: [], last: true };
    }
    if (response.status < 200 || response.status >= 300)
      throw httpError(response.status, body, shown, response.headers.get('retry-after'));
    if (body === undefined) {
      // A real WordPress answers an unknown non-REST path with a redirect to a post it guesses, then an HTML page.
      const redirected = response.redirected ? `, redirected to ${response.url}` : '';
      const hint = path.startsWith('/wp-json/')
        ? 'is WORDPRESS_CONTACTS_PATH a REST route?'
        : 'REST routes start with /wp-json/: check WORDPRESS_CONTACTS_PATH';
      throw new WordPressError(
        `WordPress answered with something other than JSON (HTTP ${response.status}${redirected}) at ${shown}: ${hint}`,
        WORDPRESS_BAD_REPLY,
        false,
        response.status,
      );
    }
    const envelope = (Array.isArray(body) ? {} : body) as Record<string, unknown>;
    const entries = Array.isArray(body) ? body : ENTRY_KEYS.map((key) => envelope[key]).find(Array.isArray);
    if (!entries) {
      throw new WordPressError(
        `WordPress replied without a list of entries at ${shown} (expected an array, or one under ${ENTRY_KEYS.join('/')})`,
        WORDPRESS_BAD_REPLY,
        false,
        response.status,
      );
    }
    const totalPages = totalPagesOf(envelope, response.headers, perPage);
    const last = entries.length === 0 || (totalPages !== undefined ? page >= totalPages : entries.length < perPage);
    return { entries, totalPages, last };
  }

  return { fetchPage, pageUrl };
}

export type WordPressClient = ReturnType<typeof createWordPressClient>;
