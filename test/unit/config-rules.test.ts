import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';

const base = { ALLOW_UNAUTHENTICATED_WEBHOOKS: 'true' };

describe("configuration of WhatsApp's rules", () => {
  it('defaults: warn about closed windows, hourly template sync, 6 s pair rate, no US marketing, unlimited per day', () => {
    const { rules } = loadConfig(base);
    assert.deepEqual(rules, {
      serviceWindowPolicy: 'warn',
      templateSyncIntervalMs: 3_600_000,
      allowUsMarketing: false,
      pairRateSeconds: 6,
      messagingLimitPerDay: undefined,
      messagingLimitWindowMs: 86_400_000,
      marketingCapRetryMs: 86_400_000,
      pauseOnRedQuality: true,
      pauseRecheckMs: 300_000,
    });
  });

  it('reads every variable, and off where it is allowed', () => {
    const { rules } = loadConfig({
      ...base,
      SERVICE_WINDOW_POLICY: 'ENFORCE',
      TEMPLATE_SYNC_INTERVAL: 'off',
      ALLOW_US_MARKETING_TEMPLATES: 'true',
      PAIR_RATE_SECONDS: '0',
      MESSAGING_LIMIT_PER_DAY: '2000',
      MESSAGING_LIMIT_WINDOW: '10s',
      MARKETING_CAP_RETRY: 'off',
      PAUSE_ON_RED_QUALITY: 'false',
      PAUSE_RECHECK_INTERVAL: '1m',
    });
    assert.equal(rules.serviceWindowPolicy, 'enforce');
    assert.equal(rules.templateSyncIntervalMs, undefined);
    assert.equal(rules.allowUsMarketing, true);
    assert.equal(rules.pairRateSeconds, 0);
    assert.equal(rules.messagingLimitPerDay, 2000);
    assert.equal(rules.messagingLimitWindowMs, 10_000);
    assert.equal(rules.marketingCapRetryMs, undefined);
    assert.equal(rules.pauseOnRedQuality, false);
    assert.equal(rules.pauseRecheckMs, 60_000);
  });

  it('names the variable that is wrong', () => {
    for (const [name, value] of [
      ['SERVICE_WINDOW_POLICY', 'strict'],
      ['TEMPLATE_SYNC_INTERVAL', '1s'],
      ['MESSAGING_LIMIT_PER_DAY', 'lots'],
      ['PAIR_RATE_SECONDS', '-1'],
    ]) {
      assert.throws(
        () => loadConfig({ ...base, [name]: value }),
        (err: Error) => err instanceof ConfigError && err.message.includes(name),
        name,
      );
    }
  });
});
