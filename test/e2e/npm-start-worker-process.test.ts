import assert from 'node:assert/strict';
import { apiClient, testPhone, type ApiClient } from '../helpers/api-client';
import { EntryProcess, envFor } from '../helpers/child-process';
import { freePort } from '../helpers/http-server';
import { waitForStatus } from '../helpers/messages';
import { eventually } from '../helpers/poll';
import { startSystem, type TestSystem } from '../helpers/system';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The worker pids npm start has logged starting, oldest first. */
const workerPids = (app: EntryProcess) =>
  [...app.output().matchAll(/"workerPid":(\d+)/g)].map((match) => Number(match[1]));

/**
 * `npm start`'s entry point (src/main.ts) with DATABASE_URL: the worker is a process of its own
 * beside the API, started again when it dies, and stopped with the API.
 */
describe('npm start with DATABASE_URL: the worker in its own process', function () {
  this.timeout(180_000);
  let system: TestSystem;
  let app: EntryProcess;
  let api: ApiClient;

  before(async () => {
    system = await startSystem({}, { worker: false });
    const port = await freePort();
    app = new EntryProcess('npm start', 'src/main.ts', envFor(system.config, { PORT: String(port) })).start();
    api = apiClient(`http://127.0.0.1:${port}`);
    await app.waitForLog(/"msg":"worker polling"/, 120_000);
  });
  after(async () => {
    await app?.stop('SIGTERM');
    await system?.stop();
  });

  const sendOne = async () => {
    const phone = testPhone();
    const { status, body } = await api.post('/whatsapp/', { phone_number: phone, message: 'From npm start' });
    assert.equal(status, 201, JSON.stringify(body));
    await waitForStatus(api, body.id, 'sent', 60_000);
    assert.ok(
      system.fake.requests.some(
        (r) => r.path === '/messages' && r.body?.to?.replace('+', '') === phone.replace('+', ''),
      ),
    );
  };

  it('sends through a worker process apart from the API, restarts it when it dies, and stops it on SIGTERM', async () => {
    const [first] = workerPids(app);
    assert.ok(first && first !== app.pid, `a worker process of its own (api ${app.pid}, worker ${first})`);
    await sendOne();

    process.kill(first, 'SIGKILL');
    await eventually(() => workerPids(app).length === 2, { timeoutMs: 30_000, what: 'a new worker process' });
    await eventually(() => (app.output().match(/"msg":"worker polling"/g) ?? []).length === 2, {
      timeoutMs: 120_000,
      what: 'the new worker to poll',
    });
    assert.match(app.output(), /the worker process exited; starting it again/);
    await sendOne();

    const second = workerPids(app)[1];
    assert.equal(await app.stop('SIGTERM'), 0);
    await eventually(() => !alive(second), { timeoutMs: 10_000, what: 'the worker process to end with the API' });
  });
});
