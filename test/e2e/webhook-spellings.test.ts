import assert from 'node:assert/strict';
import { request } from 'node:http';
import { change, newWamid, statusEvent, WEBHOOK_SECRET } from '../fakes/webhook-bodies';
import { testPhone } from '../helpers/api-client';
import { startSystem, type TestSystem } from '../helpers/system';

/** A POST with the path bytes exactly as given (fetch and URL() would normalise dots and case of escapes). */
function postRaw(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const { hostname, port } = new URL(baseUrl);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname,
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on('data', (chunk: Buffer) => parts.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(parts).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const forgedStatus = (wamid: string) => ({
  object: 'whatsapp_business_account',
  entry: [{ id: '1', changes: [change({ statuses: [statusEvent({ wamid, status: 'sent' })] })] }],
});

// Every spelling we could think of that a router, a proxy or a URL parser might treat as the webhook.
const SPELLINGS = [
  '/webhooks/360dialog',
  '/webhooks/360dialog/',
  '/Webhooks/360dialog/',
  '/WEBHOOKS/360DIALOG',
  '/webhooks/360Dialog',
  '/webhooks/360dialog//',
  '/webhooks/360dialog///',
  '//webhooks/360dialog/',
  '/webhooks//360dialog/',
  '/webhooks/360%64ialog/',
  '/%77ebhooks/360dialog',
  '/webhooks%2F360dialog',
  '/webhooks/360dialog%2F',
  '/webhooks/360dialog%2f',
  '/webhooks/360dialog?x=1',
  '/Webhooks/360dialog/?x-webhook-secret=wrong',
  `/webhooks/360dialog?secret=${WEBHOOK_SECRET}`,
  '/webhooks/360dialog/.',
  '/webhooks/360dialog/./',
  '/webhooks/./360dialog',
  '/webhooks/x/../360dialog',
  '/webhooks/360dialog/%2e',
  '/webhooks/360dialog;x',
  '/webhooks/360dialog%20',
  '/webhooks/360dialog%00',
  '/webhooks/360dialog.json',
];

const WORDPRESS_SECRET = 'test-wordpress-secret';
const WORDPRESS_SPELLINGS = SPELLINGS.map((path) =>
  path
    .replace(/360dialog/gi, (word) => (word === '360DIALOG' ? 'WORDPRESS' : 'wordpress'))
    .replace('360%64ialog', 'wor%64press'),
);

describe('the webhook secret, whatever the spelling of the path', () => {
  let system: TestSystem;
  before(async () => {
    // No worker: only what the webhook stored matters here.
    system = await startSystem({ WORDPRESS_WEBHOOK_SECRET: WORDPRESS_SECRET }, { worker: false });
  });
  after(() => system.stop());

  // The webhook answers 200 once its events are committed to the inbox: a stored event is one that reached the handler.
  const started = async (wamid: string) => Boolean(await system.db('webhook_inbox').where({ wamid }).first());

  it('no spelling reaches the handler without the secret; the ones the router accepts act only with it', async () => {
    const reachedWithSecret: string[] = [];
    for (const path of SPELLINGS) {
      const forged = newWamid();
      const without = await postRaw(system.baseUrl, path, forgedStatus(forged));
      assert.ok(
        without.status >= 400 && without.status < 500,
        `${path} without the secret answered ${without.status} ${JSON.stringify(without.body)}`,
      );
      const wrong = newWamid();
      const wrongSecret = await postRaw(system.baseUrl, path, forgedStatus(wrong), {
        'x-webhook-secret': `${WEBHOOK_SECRET}x`,
      });
      assert.ok(
        wrongSecret.status >= 400 && wrongSecret.status < 500,
        `${path} with a wrong secret answered ${wrongSecret.status}`,
      );

      const genuine = newWamid();
      const withSecret = await postRaw(system.baseUrl, path, forgedStatus(genuine), {
        'x-webhook-secret': WEBHOOK_SECRET,
      });
      if (withSecret.status === 200) {
        reachedWithSecret.push(path);
        assert.equal(without.status, 401, `${path} reaches the handler, so without the secret it must be 401`);
        assert.equal(without.body.error.code, 'unauthorized');
        assert.equal(await started(genuine), true, `${path} with the secret stored the status`);
      } else {
        assert.ok(
          [404, 405].includes(withSecret.status),
          `${path} with the secret answered ${withSecret.status} ${JSON.stringify(withSecret.body)}`,
        );
      }
      assert.equal(await started(forged), false, `${path} without the secret stored an event`);
      assert.equal(await started(wrong), false, `${path} with a wrong secret stored an event`);
    }
    // The router is case-insensitive and ignores trailing slashes and queries: all of these are the webhook.
    for (const path of [
      '/webhooks/360dialog',
      '/webhooks/360dialog/',
      '/Webhooks/360dialog/',
      '/WEBHOOKS/360DIALOG',
      '/webhooks/360dialog//',
      '/webhooks/360dialog?x=1',
    ]) {
      assert.ok(
        reachedWithSecret.includes(path),
        `${path} should reach the webhook with the secret (reached: ${reachedWithSecret.join(' ')})`,
      );
    }
  });

  it('the WordPress lead webhook: no spelling creates a contact without its secret', async () => {
    const created = async (phone: string) =>
      Boolean(await system.db('contacts').where({ phone_number: phone }).first());
    const reachedWithSecret: string[] = [];
    for (const path of WORDPRESS_SPELLINGS) {
      const forged = testPhone();
      const without = await postRaw(system.baseUrl, path, { phone: forged });
      assert.ok(without.status >= 400 && without.status < 500, `${path} without the secret answered ${without.status}`);
      // The 360Dialog secret opens only its own route.
      const other = testPhone();
      const otherSecret = await postRaw(system.baseUrl, path, { phone: other }, { 'x-webhook-secret': WEBHOOK_SECRET });
      assert.ok(
        otherSecret.status >= 400 && otherSecret.status < 500,
        `${path} with the 360Dialog secret answered ${otherSecret.status}`,
      );

      const genuine = testPhone();
      const withSecret = await postRaw(
        system.baseUrl,
        path,
        { phone: genuine },
        { 'x-webhook-secret': WORDPRESS_SECRET },
      );
      if (withSecret.status === 201) {
        reachedWithSecret.push(path);
        assert.equal(without.status, 401, `${path} reaches the handler, so without the secret it must be 401`);
        assert.equal(await created(genuine), true);
      } else {
        assert.ok(
          [404, 405].includes(withSecret.status),
          `${path} with the secret answered ${withSecret.status} ${JSON.stringify(withSecret.body)}`,
        );
      }
      assert.equal(await created(forged), false, `${path} without the secret created a contact`);
      assert.equal(await created(other), false, `${path} with the 360Dialog secret created a contact`);
    }
    for (const path of [
      '/webhooks/wordpress',
      '/webhooks/wordpress/',
      '/Webhooks/wordpress/',
      '/WEBHOOKS/WORDPRESS',
      '/webhooks/wordpress?x=1',
    ]) {
      assert.ok(
        reachedWithSecret.includes(path),
        `${path} should reach the webhook with the secret (reached: ${reachedWithSecret.join(' ')})`,
      );
    }
  });

  it('takes at most 1,000 events in one POST (400 naming the limit); ignored entries are counted, not echoed', async () => {
    const errorsBody = (n: number) => ({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1',
          changes: [
            {
              field: 'messages',
              value: { errors: Array.from({ length: n }, () => ({ code: 131000, title: 'secret-looking-marker' })) },
            },
          ],
        },
      ],
    });
    const tooMany = await postRaw(system.baseUrl, '/webhooks/360dialog/', errorsBody(1_001), {
      'x-webhook-secret': WEBHOOK_SECRET,
    });
    assert.equal(tooMany.status, 400, JSON.stringify(tooMany.body));
    assert.equal(tooMany.body.error.code, 'too_many_events');
    assert.match(tooMany.body.error.message, /at most 1000 events/);

    const atLimit = await postRaw(system.baseUrl, '/webhooks/360dialog/', errorsBody(1_000), {
      'x-webhook-secret': WEBHOOK_SECRET,
    });
    assert.equal(atLimit.status, 200, JSON.stringify(atLimit.body));
    assert.deepEqual(atLimit.body, { received: { messages: 0, statuses: 0, ignored: 1_000 } });

    const unknown = { ...statusEvent({ wamid: newWamid(), status: 'sent' }), status: 'secret-looking-marker' };
    const ignored = await postRaw(
      system.baseUrl,
      '/webhooks/360dialog/',
      { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [change({ statuses: [unknown] })] }] },
      { 'x-webhook-secret': WEBHOOK_SECRET },
    );
    assert.deepEqual(ignored.body, { received: { messages: 0, statuses: 0, ignored: 1 } });
  });
});
