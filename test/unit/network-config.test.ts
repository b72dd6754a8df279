import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config';
import { originAllowed } from '../../src/api/middleware/cors';
import { isLoopbackAddress, isLoopbackHostHeader } from '../../src/api/middleware/host-guard';

const BASE = { WEBHOOK_SECRET: 'x' };
const fails = (env: Record<string, string>, variable: string) =>
  assert.throws(
    () => loadConfig({ ...BASE, ...env }),
    (err: Error) => err.message.includes(`${variable}:`),
    `${JSON.stringify(env)} should name ${variable}`,
  );

describe('network settings: HOST, TRUST_PROXY, CORS_ORIGINS, METRICS_TOKEN, WORDPRESS_ALLOW_HTTP', () => {
  it('listens on loopback, trusts no proxy and allows no browser origin unless told (start:api)', () => {
    const config = loadConfig(BASE);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.trustProxy, false);
    assert.deepEqual(config.corsOrigins, []);
    assert.equal(config.metricsToken, undefined);
    const told = loadConfig({
      ...BASE,
      HOST: '0.0.0.0',
      TRUST_PROXY: 'true',
      CORS_ORIGINS: 'https://App.example.com, http://localhost:*',
      METRICS_TOKEN: 'm',
    });
    assert.deepEqual(
      [told.host, told.trustProxy, told.corsOrigins, told.metricsToken],
      ['0.0.0.0', true, ['https://app.example.com', 'http://localhost:*'], 'm'],
    );
  });

  it('CORS_ORIGINS: `*` only without API_KEY; entries must be origins', () => {
    assert.deepEqual(loadConfig({ ...BASE, CORS_ORIGINS: '*' }).corsOrigins, ['*']);
    fails({ CORS_ORIGINS: '*', API_KEY: 'k' }, 'CORS_ORIGINS');
    for (const bad of [
      'example.com',
      'https://example.com/app',
      'ftp://example.com',
      'http://localhost:5173:*',
      'https://a.example.com,nonsense',
    ])
      fails({ CORS_ORIGINS: bad }, 'CORS_ORIGINS');
  });

  it('matches origins exactly, or any port for `scheme://host:*`', () => {
    const allowed = ['https://app.example.com', 'http://localhost:*'];
    for (const origin of [
      'https://app.example.com',
      'http://localhost:5173',
      'http://localhost:3000',
      'HTTP://LOCALHOST:8080',
    ])
      assert.equal(originAllowed(origin, allowed), true, origin);
    for (const origin of [
      'https://app.example.com.evil.com',
      'http://app.example.com',
      'http://localhost',
      'http://localhost:',
      'http://localhost:80x',
      'http://localhost.evil.com:80',
      'https://localhost:5173',
      'null',
    ]) {
      assert.equal(originAllowed(origin, allowed), false, origin);
    }
    assert.equal(originAllowed('https://anything.example', ['*']), true);
    assert.equal(originAllowed('http://localhost:5173', []), false);
  });

  it('knows loopback addresses and Host headers (any port, any case)', () => {
    for (const host of ['localhost', 'localhost:8000', '127.0.0.1:8000', '[::1]:8000', '[::1]', 'LocalHost:1'])
      assert.equal(isLoopbackHostHeader(host), true, host);
    for (const host of [
      '',
      'evil.example',
      'evil.example:8000',
      'localhost.evil.example',
      '127.0.0.1.nip.io:8000',
      '[::2]:80',
      '0.0.0.0:8000',
    ])
      assert.equal(isLoopbackHostHeader(host), false, host);
    for (const address of ['127.0.0.1', 'localhost', '::1', '127.0.1.1'])
      assert.equal(isLoopbackAddress(address), true, address);
    for (const address of ['0.0.0.0', '::', '192.168.1.10']) assert.equal(isLoopbackAddress(address), false, address);
  });

  it('WORDPRESS_URL must be https:// unless it is loopback or WORDPRESS_ALLOW_HTTP=true', () => {
    const wp = {
      WORDPRESS_URL: 'http://shop.example.com',
      WORDPRESS_USERNAME: 'bot',
      WORDPRESS_APP_PASSWORD: 'abcd efgh',
      WORDPRESS_PRESET: 'users',
    };
    fails(wp, 'WORDPRESS_URL');
    assert.equal(
      loadConfig({ ...BASE, ...wp, WORDPRESS_ALLOW_HTTP: 'true' }).wordpress?.url,
      'http://shop.example.com',
    );
    assert.equal(
      loadConfig({ ...BASE, ...wp, WORDPRESS_URL: 'https://shop.example.com' }).wordpress?.url,
      'https://shop.example.com',
    );
    for (const local of [
      'http://localhost:8080',
      'http://127.0.0.1:8080',
      'http://[::1]:8080',
      'http://wp.localhost',
    ]) {
      assert.equal(loadConfig({ ...BASE, ...wp, WORDPRESS_URL: local }).wordpress?.url, local, local);
    }
  });
});
