import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isPrivateAddress, urlProblem } from '../../src/event-webhooks/url-guard';
import { newSigningSecret, signPayload } from '../../src/event-webhooks/signature';

/** A receiver's verifier written from the documented scheme with Node's crypto only, not our helper. */
function verify(header: string, body: string, secret: string, toleranceSeconds = 300, now = Date.now()): boolean {
  const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(now / 1000 - t) > toleranceSeconds || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('event webhook signatures', () => {
  it('are verified by an independent verifier, and fail for another body, secret or an old timestamp', () => {
    const secret = newSigningSecret();
    const body = JSON.stringify({ id: 'evt_1', type: 'message.received', data: { message: { id: 7 } } });
    const header = signPayload(secret, body);
    assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
    assert.ok(verify(header, body, secret));
    assert.ok(!verify(header, `${body} `, secret), 'another body');
    assert.ok(!verify(header, body, newSigningSecret()), 'another secret');
    const old = signPayload(secret, body, new Date(Date.now() - 3_600_000));
    assert.ok(!verify(old, body, secret), 'replayed an hour later');
    assert.notEqual(newSigningSecret(), newSigningSecret());
  });
});

describe('event webhook URL guard (SSRF)', () => {
  const resolveTo =
    (...addresses: string[]) =>
    async () =>
      addresses;

  it('tells private, loopback, link-local and mapped addresses from public ones', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ]) {
      assert.ok(isPrivateAddress(a), a);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])
      assert.ok(!isPrivateAddress(a), a);
  });

  it('refuses non-http(s) URLs and hosts that resolve to any private address, unless allowed', async () => {
    const opts = { allowPrivate: false, resolve: resolveTo('93.184.216.34') };
    assert.equal(await urlProblem('https://hooks.example.com/wa', opts), undefined);
    assert.match((await urlProblem('ftp://hooks.example.com/', opts)) ?? '', /http or https/);
    assert.match((await urlProblem('file:///etc/passwd', opts)) ?? '', /http or https/);
    assert.match((await urlProblem('not a url', opts)) ?? '', /not a URL/);
    assert.match((await urlProblem('http://user:pw@hooks.example.com/', opts)) ?? '', /user name/);
    assert.match((await urlProblem('http://127.0.0.1:8000/', opts)) ?? '', /127\.0\.0\.1/);
    assert.match((await urlProblem('http://[::1]/', opts)) ?? '', /::1/);
    assert.match((await urlProblem('http://169.254.169.254/latest/meta-data/', opts)) ?? '', /private/);
    // One private address among public ones is enough to refuse (DNS rebinding picks any of them).
    assert.match(
      (await urlProblem('https://mixed.example.com/', {
        allowPrivate: false,
        resolve: resolveTo('93.184.216.34', '10.0.0.5'),
      })) ?? '',
      /10\.0\.0\.5/,
    );
    assert.match(
      (await urlProblem('https://nowhere.invalid/', {
        allowPrivate: false,
        resolve: async () => {
          throw new Error('ENOTFOUND');
        },
      })) ?? '',
      /does not resolve/,
    );
    assert.equal(await urlProblem('http://127.0.0.1:9999/hook', { allowPrivate: true }), undefined);
    assert.match((await urlProblem('gopher://127.0.0.1/', { allowPrivate: true })) ?? '', /http or https/);
  });
});
