import assert from 'node:assert/strict';
import { apiClient } from '../helpers/api-client';
import { groupWithMembers, messageReaches } from '../helpers/broadcasts';
import { startWorkerProcess, type EntryProcess } from '../helpers/child-process';
import { truncateAll } from '../helpers/database';
import { eventually } from '../helpers/poll';
import { startSystem, type TestSystem } from '../helpers/system';

const RECIPIENTS = 1_000;
const OPTED_OUT = 50;
// Slow enough that the kill lands in the middle; fast enough that the run stays short.
const RATE = 150;

describe('fault: the worker process is SIGKILLed in the middle of a broadcast', () => {
  let system: TestSystem;
  let worker: EntryProcess | undefined;

  before(async () => {
    system = await startSystem({ D360_MAX_MESSAGES_PER_SECOND: String(RATE) }, { worker: false });
    await truncateAll(system.db);
  });
  after(async () => {
    await worker?.stop();
    await system?.stop();
  });

  it(`every opted-in recipient of ${RECIPIENTS} is reached or marked send_outcome_unknown; nobody twice`, async function () {
    this.timeout(240_000);
    const api = apiClient(system.baseUrl);
    const { group, optedIn, optedOut } = await groupWithMembers(system.db, api, RECIPIENTS, OPTED_OUT);
    worker = await startWorkerProcess(system.config);
    const sent = () => system.fake.requests.filter((r) => r.path === '/messages').map((r) => r.body.to as string);

    const created = await api.post('/whatsapp/', { group_id: group.id, message: 'Survives SIGKILL' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await eventually(() => sent().length >= 300, { timeoutMs: 60_000, what: '300 deliveries before the kill' });
    await worker.stop('SIGKILL');
    const killedAt = Date.now();
    const atKill = sent().length;
    // Claimed but not recorded: after the restart these fail send_outcome_unknown instead of being sent blindly again.
    const inFlight = Number(
      (
        await system
          .db('messages')
          .where({ parent_id: created.body.id, status: 'sending' })
          .whereNotNull('sending_since')
          .count({ n: '*' })
      )[0].n,
    );
    assert.ok(atKill < optedIn.length, `all ${atKill} were sent before the kill; the test proves nothing`);

    worker = await startWorkerProcess(system.config);
    const restartedMs = Date.now() - killedAt;
    const done = await messageReaches(api, created.body.id, 'sent', 180_000);
    const recoveredMs = Date.now() - killedAt;

    const received = sent();
    const unique = new Set(received);
    const duplicates = received.length - unique.size;
    console.log(
      `      [worker kill] sent before kill ${atKill}, in flight at kill ${inFlight}, duplicates ${duplicates}, ` +
        `worker back after ${restartedMs} ms, broadcast done ${recoveredMs} ms after the kill`,
    );
    const unknown = (
      await system
        .db('messages')
        .where({ parent_id: created.body.id, error_code: 'send_outcome_unknown' })
        .select('phone_number')
    ).map((r) => r.phone_number as string);
    assert.equal(done.counts.sent + unknown.length, optedIn.length, JSON.stringify(done.counts));
    assert.ok(
      unknown.length <= inFlight,
      `${unknown.length} unknown outcomes, more than the ${inFlight} sends in flight at the kill`,
    );
    for (const phone of optedIn) assert.ok(unique.has(phone) || unknown.includes(phone), `${phone} was never reached`);
    for (const phone of optedOut) assert.ok(!unique.has(phone), `${phone} opted out but was messaged`);
    assert.equal(duplicates, 0, 'a delivery left in flight by the killed worker was sent again');
  });
});
