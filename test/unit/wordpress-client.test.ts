import assert from 'node:assert/strict';
import { createWordPressClient, USER_AGENT, type WordPressClientOptions } from '../../src/providers/wordpress/client';
import type { WordPressError } from '../../src/providers/wordpress/errors';
import { PRESETS, type PresetName } from '../../src/providers/wordpress/presets';
import { withQuickRetries } from '../../src/providers/wordpress/retry';
import { FakeWordPress, type FakeStyle } from '../fakes/fake-wordpress';
import { listen } from '../helpers/http-server';

const entries = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, name: `Lead ${i + 1}`, phone: `+49151${String(20000000 + i)}` }));

async function withFake(style: FakeStyle, path: string, run: (fake: FakeWordPress) => Promise<void>): Promise<void> {
  const fake = await new FakeWordPress({ style, path }).start();
  try {
    await run(fake);
  } finally {
    await fake.stop();
  }
}

const clientFor = (fake: FakeWordPress, preset: PresetName, overrides: Partial<WordPressClientOptions> = {}) =>
  createWordPressClient({
    url: fake.url,
    username: fake.username,
    appPassword: fake.password,
    timeoutMs: 1_000,
    perPage: 10,
    path: PRESETS[preset].path ?? fake.path,
    paging: PRESETS[preset].paging,
    query: PRESETS[preset].query,
    ...overrides,
  });

/** Pages like the importer: until `last`, counting pages and entries. */
async function readAll(client: ReturnType<typeof createWordPressClient>): Promise<{ pages: number; ids: number[] }> {
  const ids: number[] = [];
  let page = 1;
  for (;;) {
    const result = await client.fetchPage(page);
    ids.push(...result.entries.map((e) => (e as { id: number }).id));
    if (result.last) return { pages: page, ids };
    page++;
  }
}

describe('WordPress client paging', () => {
  it('core routes: page/per_page, X-WP-TotalPages, Basic auth with the spaced password, a named User-Agent', async () => {
    await withFake('core', '/wp-json/leads/v1/entries', async (fake) => {
      fake.add(...entries(25));
      const { pages, ids } = await readAll(clientFor(fake, 'custom'));
      assert.equal(pages, 3);
      assert.equal(new Set(ids).size, 25);
      const first = fake.requests[0];
      assert.equal(first.query.get('per_page'), '10');
      assert.equal(first.headers['user-agent'], USER_AGENT);
      assert.match(String(first.headers.authorization), /^Basic /);
    });
  });

  it('treats 400 rest_post_invalid_page_number as the end', async () => {
    await withFake('core', '/wp-json/leads/v1/entries', async (fake) => {
      fake.add(...entries(10));
      const result = await clientFor(fake, 'custom').fetchPage(2);
      assert.deepEqual(result, { entries: [], last: true });
    });
  });

  it('Gravity Forms: paging[...] parameters and the {total_count, entries} envelope, oldest first', async () => {
    await withFake('gravity', '/wp-json/gf/v2/entries', async (fake) => {
      fake.add(...entries(21));
      const { pages, ids } = await readAll(clientFor(fake, 'gravity-forms'));
      assert.equal(pages, 3);
      assert.deepEqual(ids.slice(0, 3), [1, 2, 3]);
      assert.equal(fake.requests[0].query.get('paging[page_size]'), '10');
      assert.equal(fake.requests[2].query.get('paging[current_page]'), '3');
    });
  });

  it('Elementor: stops on meta.pagination.last_page (past it the plugin repeats the last page)', async () => {
    await withFake('elementor', '/wp-json/elementor/v1/form-submissions', async (fake) => {
      fake.add(...entries(15));
      const { pages, ids } = await readAll(clientFor(fake, 'elementor'));
      assert.equal(pages, 2);
      assert.equal(ids.length, 15);
    });
  });

  it('users: an empty array past the end', async () => {
    await withFake('users', '/wp-json/wp/v2/users', async (fake) => {
      fake.add(...entries(10));
      assert.deepEqual((await clientFor(fake, 'users').fetchPage(2)).entries, []);
      assert.equal(fake.requests[0].query.get('context'), 'edit');
    });
  });

  it('a custom path may carry its own query (Fluent Forms form_id)', async () => {
    await withFake('core', '/wp-json/fluentform/v1/submissions', async (fake) => {
      fake.add(...entries(3));
      await clientFor(fake, 'fluent-forms', { path: '/wp-json/fluentform/v1/submissions?form_id=4' }).fetchPage(1);
      assert.equal(fake.requests[0].query.get('form_id'), '4');
    });
  });
});

describe('WordPress client errors', () => {
  it('401 explains the Application Password and the Apache CGI Authorization header fix; not retryable', async () => {
    await withFake('core', '/wp-json/leads/v1/entries', async (fake) => {
      const client = clientFor(fake, 'custom', { appPassword: 'wrong' });
      await assert.rejects(client.fetchPage(1), (err: WordPressError) => {
        assert.equal(err.code, 'unauthorized');
        assert.equal(err.retryable, false);
        assert.match(err.message, /WORDPRESS_APP_PASSWORD/);
        assert.match(err.message, /Authorization header/);
        assert.match(err.message, /CGI/);
        return true;
      });
    });
  });

  it('429, 500 and a hung request are retryable and retried', async () => {
    await withFake('core', '/wp-json/leads/v1/entries', async (fake) => {
      fake.add(...entries(3));
      fake.failNext(1, { kind: 'status', status: 429, retryAfter: '0' });
      fake.failNext(1, { kind: 'status', status: 500 });
      fake.failNext(1, { kind: 'hang', ms: 3_000 });
      const client = clientFor(fake, 'custom', { timeoutMs: 300 });
      const retried: string[] = [];
      const result = await withQuickRetries(
        () => client.fetchPage(1),
        (err) => retried.push(err.code),
        { attempts: 4, baseDelayMs: 10, maxDelayMs: 50 },
      );
      assert.equal(result.entries.length, 3);
      assert.deepEqual(retried, ['fake_failure', 'fake_failure', 'network_error']);
      assert.equal(fake.requests.length, 4);
    });
  });

  it('a path without /wp-json/ that WordPress redirects to a page of HTML: not retryable, says so and names the fix', async () => {
    // What WordPress 6.1 does with /leads/v1/entries (seen by the real-WordPress tier): 301 to a post it guesses.
    const site = await listen((req, res) => {
      if (req.url?.startsWith('/leads/')) res.writeHead(301, { location: '/hello-world/?per_page=10' }).end();
      else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Hello world!</title>');
    });
    try {
      const client = createWordPressClient({
        url: site.url,
        timeoutMs: 1_000,
        perPage: 10,
        path: '/leads/v1/entries',
        paging: 'core',
        query: {},
      });
      await assert.rejects(client.fetchPage(1), (error: WordPressError) => {
        assert.deepEqual([error.code, error.retryable], ['bad_reply', false]);
        assert.match(
          error.message,
          /something other than JSON \(HTTP 200, redirected to http:\/\/127\.0\.0\.1:\d+\/hello-world\/\?per_page=10\)/,
        );
        assert.match(error.message, /REST routes start with \/wp-json\/: check WORDPRESS_CONTACTS_PATH/);
        return true;
      });
    } finally {
      await site.close();
    }
  });
});
