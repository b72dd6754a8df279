import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, type ListeningServer } from '../helpers/http-server';

/**
 * How the route pages and wraps its entries:
 * - `core`: a JSON array, page/per_page, X-WP-Total/X-WP-TotalPages, 400
 *   rest_post_invalid_page_number past the end (posts, custom post types, custom routes);
 * - `users`: the same but an empty array past the end;
 * - `gravity`: paging[page_size]/paging[current_page], `{total_count, entries}`;
 * - `elementor`: `{data, meta: {pagination}}`, the last page again past the end.
 */
export type FakeStyle = 'core' | 'users' | 'gravity' | 'elementor';

export type FakeEntry = Record<string, unknown> & { id: number };

/** A failure for the next request, or for the next request of one page. */
export type WpBehaviour = (
  { kind: 'status'; status: number; body?: unknown; retryAfter?: string } | { kind: 'hang'; ms: number }
) & { page?: number };

export interface WpRequest {
  at: number;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** The page asked for, whichever paging style. */
  page: number;
}

export interface FakeWordPressOptions {
  style?: FakeStyle;
  path?: string;
  username?: string;
  /** Application Passwords come in groups of four with spaces. */
  password?: string;
}

const wpError = (code: string, message: string, status: number) => ({ code, message, data: { status } });

/** A WordPress site with one lead route, speaking the REST conventions of docs/wordpress.md. */
export class FakeWordPress {
  readonly requests: WpRequest[] = [];
  readonly entries: FakeEntry[] = [];
  readonly style: FakeStyle;
  readonly path: string;
  readonly username: string;
  password: string;
  private queued: WpBehaviour[] = [];
  private server?: ListeningServer;

  constructor({
    style = 'core',
    path = '/wp-json/leads/v1/entries',
    username = 'sync-bot',
    password = 'abcd EFGH 1234 ijkl MNOP 5678',
  }: FakeWordPressOptions = {}) {
    this.style = style;
    this.path = path;
    this.username = username;
    this.password = password;
  }

  get url(): string {
    if (!this.server) throw new Error('fake WordPress is not started');
    return this.server.url;
  }

  async start(): Promise<this> {
    this.server = await listen((req, res) => this.handle(req, res));
    return this;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  // Sorting 100,000 entries for every page would make the fake, not the sync, the cost a benchmark sees.
  private sorted?: { ascending: boolean; entries: FakeEntry[] };

  private sortedEntries(ascending: boolean): FakeEntry[] {
    if (this.sorted?.ascending !== ascending) {
      this.sorted = { ascending, entries: [...this.entries].sort((a, b) => (ascending ? a.id - b.id : b.id - a.id)) };
    }
    return this.sorted.entries;
  }

  add(...entries: FakeEntry[]): void {
    this.entries.push(...entries);
    this.sorted = undefined;
  }

  /** The next `times` requests to the lead route get this instead of entries. */
  failNext(times: number, behaviour: WpBehaviour): void {
    for (let i = 0; i < times; i++) this.queued.push(behaviour);
  }

  /** WordPress is healthy again. */
  clearFailures(): void {
    this.queued = [];
  }

  pagesAsked(): number[] {
    return this.requests.map((r) => r.page);
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const gravity = this.style === 'gravity';
    const page = Number(url.searchParams.get(gravity ? 'paging[current_page]' : 'page') ?? 1);
    this.requests.push({ at: Date.now(), path: url.pathname, query: url.searchParams, headers: req.headers, page });
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
      res.end(JSON.stringify(body));
    };

    if (url.pathname !== this.path)
      return reply(404, wpError('rest_no_route', 'No route was found matching the URL and request method.', 404));
    const expected = `Basic ${Buffer.from(`${this.username}:${this.password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      return reply(
        401,
        wpError('incorrect_password', 'The provided password is an invalid application password.', 401),
      );
    }
    const index = this.queued.findIndex((b) => b.page === undefined || b.page === page);
    const behaviour = index >= 0 ? this.queued.splice(index, 1)[0] : undefined;
    if (behaviour?.kind === 'hang') {
      setTimeout(() => reply(200, []), behaviour.ms).unref();
      return;
    }
    if (behaviour?.kind === 'status') {
      return reply(
        behaviour.status,
        behaviour.body ?? wpError('fake_failure', `fake ${behaviour.status}`, behaviour.status),
        behaviour.retryAfter ? { 'retry-after': behaviour.retryAfter } : {},
      );
    }

    const perPage = Number(url.searchParams.get(gravity ? 'paging[page_size]' : 'per_page') ?? (gravity ? 20 : 10));
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100 || !Number.isInteger(page) || page < 1) {
      return reply(400, wpError('rest_invalid_param', 'Invalid parameter(s): per_page, page', 400));
    }
    const ascending =
      (url.searchParams.get(gravity ? 'sorting[direction]' : 'order') ?? 'desc').toLowerCase() === 'asc';
    const sorted = this.sortedEntries(ascending);
    const total = sorted.length;
    const totalPages = Math.ceil(total / perPage);
    const lastPage = Math.max(1, totalPages);
    const slice = (p: number) => sorted.slice((p - 1) * perPage, p * perPage);
    const headers = { 'x-wp-total': String(total), 'x-wp-totalpages': String(totalPages) };

    switch (this.style) {
      case 'gravity':
        return reply(200, { total_count: total, entries: slice(page) });
      case 'elementor': {
        const shown = Math.min(page, lastPage);
        return reply(200, {
          data: slice(shown),
          meta: { pagination: { total, per_page: perPage, current_page: shown, last_page: lastPage } },
        });
      }
      case 'users':
        return reply(200, slice(page), headers);
      default:
        if (page > lastPage)
          return reply(
            400,
            wpError(
              'rest_post_invalid_page_number',
              'The page number requested is larger than the number of pages available.',
              400,
            ),
          );
        return reply(200, slice(page), headers);
    }
  }
}
