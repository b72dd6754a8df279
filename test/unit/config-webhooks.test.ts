import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';

describe('webhook and inbound configuration', () => {
  it('refuses to start without WEBHOOK_SECRET unless ALLOW_UNAUTHENTICATED_WEBHOOKS=true', () => {
    assert.throws(
      () => loadConfig({}),
      (err: Error) =>
        err instanceof ConfigError &&
        /WEBHOOK_SECRET/.test(err.message) &&
        /ALLOW_UNAUTHENTICATED_WEBHOOKS/.test(err.message),
    );
    assert.equal(loadConfig({ ALLOW_UNAUTHENTICATED_WEBHOOKS: 'true' }).webhooks.allowUnauthenticated, true);
    assert.equal(loadConfig({ WEBHOOK_SECRET: 's3cret' }).webhooks.secret, 's3cret');
    assert.equal(loadConfig({}, { servesWebhooks: false }).webhooks.secret, undefined, 'the worker serves no webhook');
    assert.equal(
      loadConfig({}, { defaults: { ALLOW_UNAUTHENTICATED_WEBHOOKS: 'true' } }).webhooks.allowUnauthenticated,
      true,
      'npm start default',
    );
    assert.throws(() => loadConfig({ ALLOW_UNAUTHENTICATED_WEBHOOKS: 'yes' }), /ALLOW_UNAUTHENTICATED_WEBHOOKS/);
  });

  it('reads durations and keyword lists, with the documented defaults', () => {
    const defaults = loadConfig({ WEBHOOK_SECRET: 's' }).inbound;
    assert.equal(defaults.autoReplyCooldownMs, 10 * 60_000);
    assert.equal(defaults.maxAgeMs, 3_600_000);
    assert.equal(defaults.markRead, false);
    assert.deepEqual(defaults.optOutKeywords, ['STOP', 'UNSUBSCRIBE', 'STOPP', 'BAJA', 'ARRET']);
    assert.deepEqual(defaults.optInKeywords, ['START']);
    const custom = loadConfig({
      WEBHOOK_SECRET: 's',
      AUTO_REPLY_COOLDOWN: '90',
      INBOUND_MAX_AGE: '2d',
      OPT_OUT_KEYWORDS: 'halt, cancel',
      MARK_INBOUND_READ: 'true',
    }).inbound;
    assert.equal(custom.autoReplyCooldownMs, 90_000);
    assert.equal(custom.maxAgeMs, 2 * 86_400_000);
    assert.deepEqual(custom.optOutKeywords, ['halt', 'cancel']);
    assert.equal(custom.markRead, true);
    assert.throws(() => loadConfig({ WEBHOOK_SECRET: 's', AUTO_REPLY_COOLDOWN: 'ten minutes' }), /AUTO_REPLY_COOLDOWN/);
  });
});
