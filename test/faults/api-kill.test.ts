import assert from 'node:assert/strict';
import { testPhone } from '../helpers/api-client';
import { startApiProcess, type EntryProcess } from '../helpers/child-process';
import { truncateAll } from '../helpers/database';
import { eventually, staysFalse } from '../helpers/poll';
import { startSystem, type TestSystem } from '../helpers/system';

const BURST = 300;
const CONCURRENCY = 16;
const KILL_AFTER = 80;

type Outcome = { phone: string } & (
  { kind: 'created'; id: number } | { kind: 'error_status'; status: number } | { kind: 'no_answer'; reason: string }
);

describe('fault: the API process is SIGKILLed during a burst of POST /whatsapp/', () => {
  let system: TestSystem;
  let api: EntryProcess | undefined;

  before(async () => {
    // Exactly-once here is about the kill; a generous WhatsApp timeout keeps a loaded machine from adding timeout
    // resends (at-least-once by design).
    system = await startSystem({ D360_TIMEOUT_MS: '30000' });
    await truncateAll(system.db);
  });
  after(async () => {
    await api?.stop();
    await system?.stop();
  });

  it('every 201 is sent exactly once; nothing that got an error status is sent', async function () {
    this.timeout(180_000);
    const started = await startApiProcess(system.config);
    api = started.api;
    const outcomes: Outcome[] = [];
    let next = 0;
    // Every tenth request is refused (a time in the past): those must never be sent, kill or not.
    const post = async (phone: string, refused: boolean): Promise<Outcome> => {
      try {
        const response = await fetch(`${started.baseUrl}/whatsapp/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            phone_number: phone,
            message: 'Burst',
            ...(refused ? { scheduled_at: '2001-01-01T00:00:00Z' } : {}),
          }),
        });
        const body = (await response.json()) as { id: number };
        return response.status === 201
          ? { phone, kind: 'created', id: body.id }
          : { phone, kind: 'error_status', status: response.status };
      } catch (err) {
        return { phone, kind: 'no_answer', reason: (err as Error).message };
      }
    };
    let killed: Promise<unknown> | undefined;
    const lane = async () => {
      while (next < BURST) {
        next += 1;
        outcomes.push(await post(testPhone(), next % 10 === 0));
        if (outcomes.length >= KILL_AFTER && !killed) killed = started.api.stop('SIGKILL');
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
    await killed;

    const created = outcomes.filter((o) => o.kind === 'created');
    const errors = outcomes.filter((o) => o.kind === 'error_status');
    const unanswered = outcomes.filter((o) => o.kind === 'no_answer');
    assert.ok(created.length >= KILL_AFTER - CONCURRENCY, `only ${created.length} were accepted before the kill`);
    assert.ok(unanswered.length > 0, 'the kill cut no request; the test proves nothing');
    assert.ok(errors.length > 0, 'no request got an error status');

    const received = () => system.fake.requests.filter((r) => r.path === '/messages').map((r) => r.body.to as string);
    await eventually(
      () => {
        const reached = new Set(received());
        return created.every((o) => reached.has(o.phone));
      },
      { timeoutMs: 60_000, what: `all ${created.length} accepted messages at the fake` },
    );
    // Let anything a cut request may have started settle before judging what was not sent.
    await staysFalse(
      () => errors.some((o) => received().includes(o.phone)),
      3_000,
      'a message that got an error status was sent',
    );

    const all = received();
    const counts = new Map<string, number>();
    for (const phone of all) counts.set(phone, (counts.get(phone) ?? 0) + 1);
    for (const o of created)
      assert.equal(counts.get(o.phone), 1, `${o.phone} (201) was sent ${counts.get(o.phone)} times`);
    // A request cut by the kill may or may not have been committed; it must never be half done (a row that claims a
    // send that never comes).
    const cutSent = unanswered.filter((o) => counts.has(o.phone)).length;
    const orphans = await system
      .db('messages')
      .whereIn(
        'phone_number',
        unanswered.map((o) => o.phone),
      )
      .whereNotIn('phone_number', all)
      .select('id', 'status', 'phone_number');
    console.log(
      `      [api kill] ${created.length} got 201, ${errors.length} got an error status, ${unanswered.length} got no answer ` +
        `(${cutSent} of those were sent anyway, ${orphans.length} left a row that is never sent)`,
    );
    assert.deepEqual(orphans, [], 'rows whose workflow was never started');
  });
});
