import assert from 'node:assert/strict';
import { WorkflowFailedError } from '@temporalio/client';
import { inboundWorkflowId } from '../../workflows/inbound-definitions';
import { inboundText } from '../fakes/webhook-bodies';
import { testPhone } from '../helpers/api-client';
import { eventually } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';
import { postWebhook } from '../helpers/webhooks';

describe('a poison event (one that always throws)', () => {
  const sut = useSystem();

  afterEach(async () => {
    await sut.system.db.raw('DROP TRIGGER IF EXISTS test_poison ON messages');
    await sut.system.db.raw('DROP FUNCTION IF EXISTS test_poison()');
  });

  it('ends its workflow failed and visible, not retried forever; the next message is handled', async () => {
    // Postgres refuses this one message's data every time it is written, as a bad value would.
    await sut.system.db.raw(`CREATE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
      IF NEW.text = 'poison pill' THEN RAISE EXCEPTION 'injected: this row can never be stored' USING ERRCODE = '22023'; END IF;
      RETURN NEW; END $$`);
    await sut.system.db.raw(
      'CREATE TRIGGER test_poison BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION test_poison()',
    );
    await sut.api.post('/auto-replies/', { name: 'hello', match: 'any', reply: { message: 'Hi!' } });

    const phone = testPhone();
    const poison = inboundText('poison pill', { from: phone });
    assert.equal((await postWebhook(sut.api, poison.body)).status, 200);
    const handle = sut.system.temporal.workflow.getHandle(inboundWorkflowId(poison.wamid));
    const description = await eventually(
      async () => {
        const described = await handle.describe();
        return described.status.name === 'FAILED' ? described : undefined;
      },
      { timeoutMs: 30_000, what: "the poison event's workflow to fail" },
    );
    assert.equal(description.status.name, 'FAILED');
    const failure = await handle.result().then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(failure instanceof WorkflowFailedError, String(failure));
    // The activity's failure, however deep (an activity or a local activity wraps it once more or less).
    type Cause = { cause?: Cause; type?: string; message?: string };
    let cause: Cause | undefined = failure.cause as Cause;
    while (cause && cause.type === undefined) cause = cause.cause;
    assert.equal(cause?.type, 'poison_event');
    assert.match(cause?.message ?? '', /22023/);

    const healthy = inboundText('hello there', { from: phone });
    assert.equal((await postWebhook(sut.api, healthy.body)).status, 200);
    await eventually(() => sut.system.fake.messagesTo(phone).length === 1, { what: 'the reply to the next message' });
  });
});
