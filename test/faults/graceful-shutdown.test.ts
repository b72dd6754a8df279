import assert from 'node:assert/strict';
import { request } from 'node:http';
import { apiClient, testPhone } from '../helpers/api-client';
import { groupWithMembers, messageReaches } from '../helpers/broadcasts';
import { startApiProcess, startWorkerProcess, type EntryProcess } from '../helpers/child-process';
import { truncateAll } from '../helpers/database';
import { freePort } from '../helpers/http-server';
import { eventually } from '../helpers/poll';
import { startSystem, type TestSystem } from '../helpers/system';

const RECIPIENTS = 300;
const RATE = 100;

describe('graceful shutdown on SIGTERM', () => {
  let system: TestSystem;
  let processes: EntryProcess[] = [];

  before(async () => {
    system = await startSystem({ D360_MAX_MESSAGES_PER_SECOND: String(RATE) }, { worker: false });
  });
  beforeEach(() => truncateAll(system.db));
  afterEach(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    processes = [];
  });
  after(() => system?.stop());

  it('the worker finishes the sends in flight, exits 0, and after a restart nobody gets the broadcast twice', async function () {
    this.timeout(180_000);
    const api = apiClient(system.baseUrl);
    const { group, optedIn } = await groupWithMembers(system.db, api, RECIPIENTS);
    const metricsPort = await freePort();
    const worker = await startWorkerProcess(system.config, { WORKER_METRICS_PORT: String(metricsPort) });
    processes.push(worker);
    const sent = () => system.fake.requests.filter((r) => r.path === '/messages').map((r) => r.body.to as string);
    const created = await api.post('/whatsapp/', { group_id: group.id, message: 'Drained, not cut' });
    await eventually(() => sent().length >= 50, { timeoutMs: 30_000, what: '50 deliveries before SIGTERM' });
    // The worker's own /metrics shows its calls to 360Dialog.
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    assert.match(metrics, /^wa_whatsapp_send_duration_seconds_count\{outcome="sent"\} [1-9]/m);

    const signalledAt = Date.now();
    const code = await worker.stop('SIGTERM');
    const stopMs = Date.now() - signalledAt;
    assert.equal(code, 0, worker.output());
    assert.match(worker.output(), /"msg":"stopped worker"/);
    assert.ok(sent().length < optedIn.length, 'the broadcast finished before SIGTERM; the test proves nothing');

    processes.push(await startWorkerProcess(system.config));
    // Usually seconds; up to a minute when a send task reached the stopping worker's last poll and must time out.
    await messageReaches(api, created.body.id, 'sent', 150_000);
    const received = sent();
    console.log(
      `      [graceful worker] stopped in ${stopMs} ms; ${received.length - new Set(received).size} duplicates`,
    );
    assert.equal(new Set(received).size, optedIn.length);
    assert.equal(received.length, optedIn.length, 'a drained worker leaves nothing half-sent to repeat');
  });

  it('the API answers a request in flight, refuses new connections, and exits 0', async function () {
    this.timeout(60_000);
    const { api, baseUrl } = await startApiProcess(system.config);
    processes.push(api);
    const body = JSON.stringify({ name: 'In flight at SIGTERM', phone_number: testPhone() });
    const half = Math.floor(body.length / 2);

    let exited: Promise<number | null> | undefined;
    // Expect: 100-continue makes the server confirm it is handling the request before the body is sent.
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(`${baseUrl}/contacts/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(body.length), expect: '100-continue' },
      });
      req.on('continue', async () => {
        req.write(body.slice(0, half));
        exited = api.stop('SIGTERM');
        await api.waitForLog(/"msg":"shutting down"/).catch(reject);
        await eventually(
          async () => {
            const refused = await fetch(`${baseUrl}/health`).then(
              () => false,
              () => true,
            );
            return refused;
          },
          { timeoutMs: 10_000, what: 'new connections to be refused' },
        ).catch(reject);
        if (!api.running)
          reject(new Error(`the API exited before the request in flight was answered:\n${api.output()}`));
        req.end(body.slice(half));
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    const { status, text } = await answer;
    assert.equal(status, 201, text);
    assert.equal(await exited, 0, api.output());
    assert.match(api.output(), /"msg":"stopped database"/);
    assert.ok(await system.db('contacts').where({ name: 'In flight at SIGTERM' }).first(), 'the contact was stored');
  });
});
