import assert from 'node:assert/strict';
import { groupWithMembers, messageReaches } from '../helpers/broadcasts';
import { eventually } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';

// Slow enough to stop the worker or cancel in the middle of a broadcast.
const RATE = 10;
const LANES = 20;

describe('a broadcast under interruption', () => {
  const sut = useSystem({ D360_MAX_MESSAGES_PER_SECOND: String(RATE) });
  beforeEach(async () => {
    if (!sut.system.worker) await sut.system.startWorker();
  });

  const sentTo = () => sut.system.fake.requests.filter((r) => r.path === '/messages').map((r) => r.body.to as string);

  it('worker stopped mid-broadcast and started again: every member reached, nobody twice beyond the in-flight ones', async () => {
    const { group, optedIn } = await groupWithMembers(sut.system.db, sut.api, 40);
    const created = await sut.api.post('/whatsapp/', { group_id: group.id, message: 'Survives restarts' });
    await eventually(() => sentTo().length >= 8, { what: 'a few deliveries' });
    await sut.system.stopWorker();
    const beforeRestart = sentTo().length;
    assert.ok(
      beforeRestart < optedIn.length,
      `all ${beforeRestart} were sent before the stop; the test proves nothing`,
    );
    const row = await sut.system.db('messages').where({ id: created.body.id }).first();
    assert.equal(row.status, 'sending');

    await sut.system.startWorker();
    const done = await messageReaches(sut.api, created.body.id, 'sent', 60_000);
    assert.equal(done.counts.sent, optedIn.length);
    const received = sentTo();
    for (const phone of optedIn) assert.ok(received.includes(phone), `${phone} was never reached`);
    const duplicates = received.length - new Set(received).size;
    assert.ok(duplicates <= LANES, `${duplicates} duplicates, more than the ${LANES} that can be in flight`);
  });

  it('DELETE of a broadcast in progress stops the remaining sends; sent ones stay sent', async () => {
    const { group, optedIn } = await groupWithMembers(sut.system.db, sut.api, 40);
    const created = await sut.api.post('/whatsapp/', { group_id: group.id, message: 'Stop me' });
    await eventually(() => sentTo().length >= 5, { what: 'a few deliveries' });
    const cancelled = await sut.api.delete(`/whatsapp/${created.body.id}`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    assert.ok(cancelled.body.counts.cancelled > 0, JSON.stringify(cancelled.body.counts));

    // In-flight deliveries finish and are recorded; then nothing moves any more.
    const settled = await eventually(
      async () => {
        const { body } = await sut.api.get(`/whatsapp/${created.body.id}/`);
        return body.counts.sending === 0 && body.counts.scheduled === 0 ? body : undefined;
      },
      { what: 'no delivery left in flight' },
    );
    assert.equal(settled.status, 'cancelled');
    assert.equal(settled.counts.sent + settled.counts.cancelled, optedIn.length);
    assert.equal(sentTo().length, settled.counts.sent);
    assert.ok(settled.counts.sent < optedIn.length);
    assertStillCancelled(await sut.api.delete(`/whatsapp/${created.body.id}`));
  });
});

function assertStillCancelled(response: { status: number; body: any }) {
  // Cancelling again is harmless: it answers the cancelled broadcast.
  assert.equal(response.status, 200);
  assert.equal(response.body.status, 'cancelled');
}
