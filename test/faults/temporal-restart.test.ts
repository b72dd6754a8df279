import assert from 'node:assert/strict';
import { apiClient, testPhone } from '../helpers/api-client';
import { eventually } from '../helpers/poll';
import { useFileBackedTemporal } from '../helpers/file-backed-temporal';

const MESSAGES = 50;
// Far enough out that the server is down when they fall due.
const DUE_IN_MS = 10_000;

describe('fault: the Temporal server stops and restarts on its persisted database', () => {
  const temporal = useFileBackedTemporal('temporal-restart');

  it(`${MESSAGES} scheduled messages are all sent after the restart, none twice`, async function () {
    this.timeout(180_000);
    const sys = temporal.system;
    const api = apiClient(sys.baseUrl);
    const dueAt = new Date(Date.now() + DUE_IN_MS);
    const phones = Array.from({ length: MESSAGES }, () => testPhone());
    for (const phone of phones) {
      const created = await api.post('/whatsapp/', {
        phone_number: phone,
        message: 'Survives a Temporal restart',
        scheduled_at: dueAt.toISOString(),
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
    }
    await temporal.stopServer();
    const stoppedAt = Date.now();
    assert.ok(
      stoppedAt < dueAt.getTime(),
      `scheduling took too long: the server stopped ${stoppedAt - dueAt.getTime()} ms after the due time`,
    );
    assert.equal((await api.get('/ready')).status, 503, '/ready reports Temporal down');
    // Stay down past the due time, so the timers fire only on the restarted server.
    await eventually(() => Date.now() > dueAt.getTime() + 1_000, {
      timeoutMs: DUE_IN_MS + 5_000,
      intervalMs: 250,
      what: 'the due time to pass',
    });
    // Sends start SEND_LEAD_MS before their time and wait in the worker: those already handed over go out on time
    // even with Temporal down (their completion is reported once it is back); the rest wait for the restart.
    const sentWhileDown = sys.fake.requests.length;

    await temporal.startServer();
    const restartedAt = Date.now();
    const received = () => sys.fake.requests.filter((r) => r.path === '/messages').map((r) => r.body.to as string);
    await eventually(() => new Set(received()).size === MESSAGES, {
      timeoutMs: 120_000,
      intervalMs: 250,
      what: `all ${MESSAGES} messages at the fake`,
    });
    const allSentMs = Date.now() - restartedAt;
    await eventually(
      async () => {
        const rows = await sys.db('messages').whereIn('phone_number', phones).select('status');
        return rows.length === MESSAGES && rows.every((row) => row.status === 'sent');
      },
      { timeoutMs: 30_000, what: 'every row sent' },
    );

    const all = received();
    console.log(
      `      [temporal restart] down ${restartedAt - stoppedAt} ms; ${sentWhileDown} sent on time while it was down, all ${MESSAGES} sent ${allSentMs} ms after the restart; ${all.length - new Set(all).size} duplicates`,
    );
    assert.deepEqual([...all].sort(), [...phones].sort(), 'each message exactly once');
  });
});
