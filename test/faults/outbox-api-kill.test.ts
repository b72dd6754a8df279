import assert from 'node:assert/strict';
import { testPhone } from '../helpers/api-client';
import { startApiProcess, type EntryProcess } from '../helpers/child-process';
import { truncateAll } from '../helpers/database';
import { eventually, staysFalse } from '../helpers/poll';
import { getShared, startSystem, type TestSystem } from '../helpers/system';
import { TcpProxy, targetOf } from '../helpers/tcp-proxy';

const ACCEPTED = 30;
const REFUSED = 5;

/** Every run of every workflow on this task queue, by workflow id. */
async function runsById(system: TestSystem): Promise<Map<string, number>> {
  const runs = new Map<string, number>();
  for await (const wf of system.temporal.workflow.list({
    query: `TaskQueue = '${system.config.temporal.taskQueue}'`,
  })) {
    runs.set(wf.workflowId, (runs.get(wf.workflowId) ?? 0) + 1);
  }
  return runs;
}

describe('fault: the API process is SIGKILLed between its commits and their workflow starts', () => {
  let system: TestSystem;
  let proxy: TcpProxy;
  let api: EntryProcess | undefined;

  before(async () => {
    // The in-process API dispatches nothing: the API process is the only one that can start these workflows.
    system = await startSystem({}, { background: false });
    proxy = await new TcpProxy(targetOf(getShared().temporalServer.address)).start();
    await truncateAll(system.db);
  });
  after(async () => {
    await api?.stop();
    await system?.stop();
    await proxy?.stop();
  });

  it('after a restart every 201 gets exactly one workflow and one send; nothing else is sent', async function () {
    this.timeout(180_000);
    // The API process cannot reach Temporal: its commits stay in the outbox, undispatched.
    await proxy.pause();
    const first = await startApiProcess(system.config, { TEMPORAL_ADDRESS: proxy.address });
    api = first.api;
    const post = (body: object) =>
      fetch(`${first.baseUrl}/whatsapp/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { id: number; workflow_id: string } }));
    const soon = new Date(Date.now() + 3_000).toISOString();
    const accepted = await Promise.all(
      Array.from({ length: ACCEPTED }, async (_, i) => {
        const phone = testPhone();
        const response = await post({
          phone_number: phone,
          message: 'Outbox',
          ...(i % 2 ? { scheduled_at: soon } : {}),
        });
        assert.equal(response.status, 201, JSON.stringify(response.body));
        return { phone, workflowId: response.body.workflow_id };
      }),
    );
    const refused = Array.from({ length: REFUSED }, () => testPhone());
    for (const phone of refused)
      assert.equal(
        (await post({ phone_number: phone, message: 'refused', scheduled_at: '2001-01-01T00:00:00Z' })).status,
        400,
      );
    assert.equal(
      (await system.db('workflow_outbox').count({ n: '*' }))[0].n,
      ACCEPTED,
      'every 201 left its start in the outbox',
    );
    await api.stop('SIGKILL');
    assert.equal((await runsById(system)).size, 0, 'no workflow was started before the kill');

    await proxy.resume();
    const restarted = await startApiProcess(system.config, { TEMPORAL_ADDRESS: proxy.address });
    api = restarted.api;
    const received = () => system.fake.requests.filter((r) => r.path === '/messages').map((r) => r.body.to as string);
    // A start cut mid-flight waits out its lease (30 s) before the restarted process takes it.
    await eventually(() => new Set(received()).size === ACCEPTED, {
      timeoutMs: 90_000,
      intervalMs: 250,
      what: `all ${ACCEPTED} accepted messages at the fake`,
    });
    await eventually(async () => (await system.db('workflow_outbox').count({ n: '*' }))[0].n === 0, {
      what: 'the outbox to drain',
    });
    await staysFalse(() => received().some((phone) => refused.includes(phone)), 2_000, 'a refused message was sent');

    const runs = await runsById(system);
    for (const { workflowId } of accepted)
      assert.equal(runs.get(workflowId), 1, `${workflowId} ran ${runs.get(workflowId)} times`);
    assert.equal(runs.size, ACCEPTED, 'no other workflow');
    const all = received();
    assert.deepEqual([...all].sort(), accepted.map((a) => a.phone).sort(), 'each accepted message sent exactly once');
  });
});
