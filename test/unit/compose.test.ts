import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { SEARCH_ATTRIBUTE_KEYS } from '../../workflows/definitions';
import { containerEnv, interpolate, loadCompose, readRepoFile, REPO_ROOT, type HostEnv } from '../helpers/stack-files';

// No Docker engine runs here, so docker-compose.yml is checked by reading it.
const compose = loadCompose();
const services = compose.services;
const service = (name: string) => {
  assert.ok(services[name], `docker-compose.yml has no service ${name}`);
  return services[name];
};
// What an operator passes on the host; everything else comes from the file's defaults.
const HOST: HostEnv = {
  WEBHOOK_SECRET: 'a-webhook-secret',
  D360_API_KEY: 'a-d360-key',
  POSTGRES_PASSWORD: 'a-db-password',
};
const APP_SERVICES = ['api', 'worker', 'migrate'];

describe('docker-compose.yml', () => {
  it('depends only on services that exist, with a condition Compose knows', () => {
    for (const [name, definition] of Object.entries(services)) {
      for (const [target, { condition }] of Object.entries(definition.depends_on ?? {})) {
        assert.ok(services[target], `${name} depends on missing service ${target}`);
        assert.ok(
          ['service_started', 'service_healthy', 'service_completed_successfully'].includes(condition),
          `${name} -> ${target}: ${condition}`,
        );
        if (condition === 'service_healthy')
          assert.ok(
            services[target].healthcheck,
            `${name} waits for ${target} to be healthy, but it has no healthcheck`,
          );
        if (condition === 'service_completed_successfully') {
          assert.ok(
            !['always', 'unless-stopped'].includes(services[target].restart ?? ''),
            `one-off ${target} must not restart forever`,
          );
        }
      }
    }
  });

  it('pins every image tag (no :latest, no missing tag)', () => {
    for (const [name, { image, build }] of Object.entries(services)) {
      assert.ok(image, `${name} names no image`);
      const tag = /:([^:/]+)$/.exec(interpolate(image))?.[1];
      assert.ok(tag && tag !== 'latest', `${name}: ${image} is not pinned`);
      if (!build) assert.match(tag, /^\d+(\.\d+)*(-[\w.]+)?$/, `${name}: ${image} should carry a version`);
    }
  });

  it('publishes ports on 127.0.0.1 unless BIND_ADDRESS says otherwise', () => {
    const published = Object.entries(services).flatMap(([name, { ports = [] }]) =>
      ports.map((port) => [name, port] as const),
    );
    assert.ok(published.length >= 3, 'api, Temporal and its UI are reachable from the host');
    for (const [name, port] of published) {
      assert.match(interpolate(port), /^127\.0\.0\.1:\d+:\d+$/, `${name} publishes ${port}`);
      assert.match(interpolate(port, { BIND_ADDRESS: '0.0.0.0' }), /^0\.0\.0\.0:/, `${name} ignores BIND_ADDRESS`);
    }
    assert.equal(interpolate(service('api').ports![0]), '127.0.0.1:8000:8000');
  });

  it('gives the API every variable it requires, and it refuses to start without WEBHOOK_SECRET', () => {
    const config = loadConfig(containerEnv(service('api'), HOST));
    assert.equal(config.port, 8000);
    assert.equal(config.webhooks.secret, 'a-webhook-secret');
    assert.equal(config.d360.apiKey, 'a-d360-key');
    assert.throws(() => loadConfig(containerEnv(service('api'), { POSTGRES_PASSWORD: 'p' })), /WEBHOOK_SECRET/);
  });

  it('has no default database password: start-up names POSTGRES_PASSWORD when it is unset', () => {
    for (const name of ['postgres', 'temporal', 'temporal-schema', ...APP_SERVICES]) {
      assert.throws(
        () => containerEnv(service(name), { ...HOST, POSTGRES_PASSWORD: undefined }),
        /POSTGRES_PASSWORD/,
        name,
      );
    }
    assert.equal(containerEnv(service('postgres'), HOST).POSTGRES_PASSWORD, 'a-db-password');
  });

  it('listens on the container interfaces (HOST=0.0.0.0); the published port stays on 127.0.0.1', () => {
    assert.equal(loadConfig(containerEnv(service('api'), HOST)).host, '0.0.0.0');
  });

  it('points api, worker and migrate at the Postgres service with its own credentials', () => {
    const postgres = containerEnv(service('postgres'), HOST);
    for (const name of APP_SERVICES) {
      const config = loadConfig(containerEnv(service(name), HOST), { servesWebhooks: name === 'api' });
      assert.ok(config.databaseUrl, `${name} has no DATABASE_URL (the worker refuses to start without one)`);
      const url = new URL(config.databaseUrl);
      assert.equal(url.hostname, 'postgres', name);
      assert.equal(url.port, '5432', name);
      assert.equal(url.username, postgres.POSTGRES_USER, name);
      assert.equal(decodeURIComponent(url.password), postgres.POSTGRES_PASSWORD, name);
      assert.equal(url.pathname, `/${postgres.POSTGRES_DB}`, name);
      assert.ok(
        service(name).depends_on?.postgres || service(name).depends_on?.migrate,
        `${name} starts before Postgres`,
      );
    }
  });

  it('points api and worker at the Temporal service and the namespace the setup job creates', () => {
    const namespaceJob = containerEnv(service('temporal-namespace'));
    for (const name of ['api', 'worker']) {
      const { temporal } = loadConfig(containerEnv(service(name), HOST), { servesWebhooks: name === 'api' });
      assert.equal(temporal.address, 'temporal:7233', name);
      assert.equal(temporal.namespace, namespaceJob.NAMESPACE, name);
      assert.equal(namespaceJob.TEMPORAL_ADDRESS, temporal.address);
      assert.equal(service(name).depends_on?.['temporal-namespace']?.condition, 'service_completed_successfully', name);
      assert.equal(service(name).depends_on?.migrate?.condition, 'service_completed_successfully', name);
    }
    assert.equal(
      loadConfig(containerEnv(service('api'), { ...HOST, TEMPORAL_NAMESPACE: 'prod' })).temporal.namespace,
      'prod',
    );
    assert.equal(containerEnv(service('temporal-namespace'), { TEMPORAL_NAMESPACE: 'prod' }).NAMESPACE, 'prod');
  });

  it('passes every variable the app reads, and only those', () => {
    const schema = /const envSchema = z\.object\(\{([\s\S]*?)\n\}\);/.exec(readRepoFile('src/config.ts'))?.[1];
    assert.ok(schema, 'src/config.ts: envSchema not found');
    const known = new Set([...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map(([, key]) => key));
    // Set by the image, only for the dev server, or deliberately absent in production.
    const notPassed = new Set([
      'DATA_DIR',
      'TEMPORAL_WORKFLOW_BUNDLE',
      'TEMPORAL_CLI_PATH',
      'PYTHON',
      'TEMPORAL_UI_PORT',
      'ALLOW_UNAUTHENTICATED_WEBHOOKS',
      // npm start's choice of a worker process; compose runs the worker as a service of its own.
      'WORKER_PROCESS',
    ]);
    for (const name of APP_SERVICES) {
      const passed = new Set(Object.keys(service(name).environment ?? {}));
      for (const key of passed) assert.ok(known.has(key), `${name} sets ${key}, which src/config.ts does not read`);
      const missing = [...known].filter((key) => !passed.has(key) && !notPassed.has(key));
      assert.deepEqual(
        missing,
        [],
        `${name}: add these to x-app-env in docker-compose.yml (a bare \`KEY:\` passes the host's value through)`,
      );
    }
  });

  it('runs Temporal on the same Postgres, listening beyond localhost, after its schema job', () => {
    const postgres = containerEnv(service('postgres'), HOST);
    const server = containerEnv(service('temporal'), HOST);
    const schema = containerEnv(service('temporal-schema'), HOST);
    assert.equal(server.DB, 'postgres12');
    assert.equal(server.BIND_ON_IP, '0.0.0.0');
    for (const env of [server, schema]) {
      assert.equal(env.POSTGRES_SEEDS, 'postgres');
      assert.equal(env.POSTGRES_USER, postgres.POSTGRES_USER);
    }
    assert.equal(server.POSTGRES_PWD, postgres.POSTGRES_PASSWORD);
    assert.equal(schema.SQL_PASSWORD, postgres.POSTGRES_PASSWORD);
    assert.equal(service('temporal').depends_on?.['temporal-schema']?.condition, 'service_completed_successfully');
    const mounts = (service('temporal').volumes ?? []).map((volume) => volume.split(':')[1]);
    assert.ok(mounts.includes(server.DYNAMIC_CONFIG_FILE_PATH), 'the dynamic config file Temporal reads is mounted');
    const [serverImage, schemaImage, namespaceImage] = ['temporal', 'temporal-schema', 'temporal-namespace'].map(
      (name) => service(name).image!,
    );
    assert.equal(schemaImage.split(':')[1], serverImage.split(':')[1], 'admin-tools and server versions move together');
    assert.equal(namespaceImage, schemaImage);
  });

  it('points the Temporal Web UI at the Temporal service', () => {
    const ui = service('temporal-ui');
    assert.match(ui.image!, /^temporalio\/ui:/);
    assert.equal(containerEnv(ui).TEMPORAL_ADDRESS, 'temporal:7233');
    assert.ok(ui.depends_on?.temporal);
  });

  it('gives Postgres a healthcheck and a named volume for its data', () => {
    const postgres = service('postgres');
    assert.ok(postgres.healthcheck?.test.join(' ').includes('pg_isready'));
    const dataVolume = (postgres.volumes ?? [])
      .map((volume) => volume.split(':'))
      .find(([, target]) => target === '/var/lib/postgresql/data');
    assert.ok(dataVolume, 'Postgres data is not on a volume');
    assert.ok(compose.volumes && dataVolume[0] in compose.volumes, `volume ${dataVolume[0]} is not declared`);
  });

  it('mounts setup scripts that exist, and the namespace job adds every search attribute the workflows set', () => {
    for (const [name, { volumes = [] }] of Object.entries(services)) {
      for (const [source] of volumes.map((volume) => volume.split(':'))) {
        if (source.startsWith('.'))
          assert.ok(existsSync(path.join(REPO_ROOT, source)), `${name} mounts missing ${source}`);
      }
    }
    const script = readRepoFile('deploy/temporal/create-namespace.sh');
    for (const key of SEARCH_ATTRIBUTE_KEYS) assert.match(script, new RegExp(`\\b${key.name}\\b`), key.name);
  });

  it('builds api, worker and migrate from the Dockerfile and runs their compiled entry points', () => {
    const images = new Set(APP_SERVICES.map((name) => service(name).image));
    assert.equal(images.size, 1, 'one image for the three');
    for (const name of APP_SERVICES) assert.equal(service(name).build, '.', name);
    assert.deepEqual(service('worker').command, ['node', 'dist/src/worker-main.js']);
    assert.deepEqual(service('migrate').command, ['node', 'dist/src/db/migrate-cli.js']);
    assert.equal(service('api').command, undefined, 'the API is the image default');
  });
});
