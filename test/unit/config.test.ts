import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';

const base = { ALLOW_UNAUTHENTICATED_WEBHOOKS: 'true' };

describe('configuration', () => {
  it('has working defaults for a fresh machine', () => {
    const config = loadConfig(base);
    assert.equal(config.port, 8000);
    assert.equal(config.databaseUrl, undefined, 'embedded Postgres');
    assert.equal(config.temporal.address, undefined, 'embedded Temporal dev server');
    assert.equal(config.temporal.namespace, 'default');
    assert.equal(config.temporal.taskQueue, 'wa-automation');
    assert.equal(config.temporal.sendTaskQueue, 'wa-automation-sends');
    assert.equal(config.d360.apiUrl, 'https://waba-v2.360dialog.io');
    assert.equal(config.d360.maxMessagesPerSecond, 80);
    assert.equal(config.groupCapacity, 250);
  });

  it('reads every contract variable', () => {
    const config = loadConfig({
      ...base,
      PORT: '9000',
      DATABASE_URL: 'postgres://u@db:5432/wa',
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_NAMESPACE: 'prod',
      TEMPORAL_TASK_QUEUE: 'wa',
      D360_API_URL: 'http://fake:1/',
      D360_API_KEY: 'key',
      D360_MAX_MESSAGES_PER_SECOND: '1000',
      DEFAULT_PHONE_REGION: 'de',
      API_KEY: 'secret',
    });
    assert.deepEqual(
      [
        config.port,
        config.databaseUrl,
        config.temporal.address,
        config.temporal.namespace,
        config.temporal.sendTaskQueue,
      ],
      [9000, 'postgres://u@db:5432/wa', 'temporal:7233', 'prod', 'wa-sends'],
    );
    assert.deepEqual(
      [config.d360.apiUrl, config.d360.apiKey, config.d360.maxMessagesPerSecond],
      ['http://fake:1', 'key', 1000],
    );
    assert.equal(config.defaultPhoneRegion, 'DE');
    assert.equal(config.apiKey, 'secret');
  });

  for (const [name, value] of [
    ['PORT', 'eighty'],
    ['DATABASE_URL', 'mysql://root@localhost/db'],
    ['D360_API_URL', 'not a url'],
    ['D360_MAX_MESSAGES_PER_SECOND', '-5'],
    ['DEFAULT_PHONE_REGION', 'XX'],
    ['GROUP_CAPACITY', '0'],
  ]) {
    it(`stops start-up naming ${name} when it is ${JSON.stringify(value)}`, () => {
      assert.throws(
        () => loadConfig({ ...base, [name]: value }),
        (err: Error) => err instanceof ConfigError && err.message.includes(name),
      );
    });
  }
});
