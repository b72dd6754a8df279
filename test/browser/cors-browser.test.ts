import assert from 'node:assert/strict';
import { chromium, type Browser } from 'playwright-core';
import { testPhone } from '../helpers/api-client';
import { EntryProcess, envFor } from '../helpers/child-process';
import { freePort, listen, type ListeningServer } from '../helpers/http-server';
import { eventually } from '../helpers/poll';
import { startSystem, type TestSystem } from '../helpers/system';
import { seedExamplesPage } from './seed-examples';

// Debian's Chromium, never a downloaded one; .ci/run installs the package.
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
// A name that is not allowed by npm start's default CORS_ORIGINS but still reaches this machine.
const OTHER_SITE = 'frontend.test';

/**
 * The seed document's fetch() examples in a real browser, from a page on another origin,
 * against `npm start`'s entry point (src/main.ts: its default CORS_ORIGINS, its own worker)
 * on its own port, joined to the test database, Temporal and fake 360Dialog.
 */
describe('a browser frontend on another origin (headless Chromium, seed examples)', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let app: EntryProcess | undefined;
  let apiBase: string;
  let pages: ListeningServer | undefined;
  let browser: Browser | undefined;

  before(async () => {
    system = await startSystem({}, { worker: false });
    const port = await freePort();
    app = new EntryProcess(
      'npm start',
      'src/main.ts',
      envFor(system.config, { PORT: String(port), WEBHOOK_SECRET: '', LOG_LEVEL: 'warn' }),
    ).start();
    apiBase = `http://127.0.0.1:${port}`;
    await eventually(
      async () => {
        if (!app?.running) throw new Error(`src/main.ts exited:\n${app?.output()}`);
        return (await fetch(`${apiBase}/health`).catch(() => undefined))?.status === 200;
      },
      { timeoutMs: 120_000, what: 'src/main.ts to answer /health' },
    );
    const inOneHour = new Date(Date.now() + 3_600_000).toISOString();
    const html = seedExamplesPage(apiBase, testPhone(), inOneHour);
    pages = await listen((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${OTHER_SITE} 127.0.0.1`],
    });
  });
  after(async () => {
    await browser?.close();
    await pages?.close();
    await app?.stop('SIGTERM');
    await system?.stop();
  });

  it('every seed example succeeds from http://localhost:<port>, and a page on another site is refused by the browser', async () => {
    const page = await browser!.newPage();
    await page.goto(`http://localhost:${pages!.port}/`);
    // A string, evaluated in the page: the functions are the page's own (seed-examples.ts).
    const results: Record<string, any> = await page.evaluate('window.runSeedExamples()');
    const seen = JSON.stringify(results, null, 1);

    assert.equal(results.createContact.status, 201, seen);
    assert.equal(results.createContact.body.name, 'Browser Frontend');
    assert.equal(results.fetchContacts.status, 200, seen);
    assert.ok(
      results.fetchContacts.body.results.some((c: { id: number }) => c.id === results.createContact.body.id),
      seen,
    );
    assert.equal(results.sendMessage.status, 201, seen);
    assert.equal(results.sendMessage.body.status, 'scheduled');
    assert.equal(results.sendMessageAgain.status, 201, seen);
    assert.equal(
      results.sendMessageAgain.body.id,
      results.sendMessage.body.id,
      'the Idempotency-Key header passed the preflight',
    );
    assert.equal(results.sendMessageAgain.replayed, 'true', 'Idempotent-Replayed is exposed to the page');
    assert.equal(results.postStatus.status, 201, seen);
    assert.equal(results.postStatus.body.text, 'Good morning!');
    assert.equal(results.fetchGroups.status, 200, seen);
    assert.ok(Array.isArray(results.fetchGroups.body.results), seen);
    assert.equal(results.deleteContact.status, 204, seen);
    await page.close();

    const other = await browser!.newPage();
    await other.goto(`http://${OTHER_SITE}:${pages!.port}/`);
    const refused = await other.evaluate('window.fetchContactsOnly()');
    assert.deepEqual(refused, { error: 'TypeError: Failed to fetch' });
    await other.close();
  });
});
