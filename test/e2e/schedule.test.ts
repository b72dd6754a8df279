import assert from 'node:assert/strict';
import { testPhone } from '../helpers/api-client';
import { inSeconds, waitForStatus } from '../helpers/messages';
import { eventually } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';

describe('scheduled messages', () => {
  const sut = useSystem();

  // The outbox dispatcher starts the workflow just after the 201: wait for it.
  const describeWorkflow = (id: number) =>
    eventually(() => sut.system.temporal.workflow.getHandle(`message-${id}`).describe(), {
      what: `workflow message-${id}`,
    });

  it('is not sent early and is sent once, on time', async () => {
    const phone = testPhone();
    const scheduledAt = inSeconds(2.5);
    const created = await sut.api.post('/whatsapp/', {
      phone_number: phone,
      message: 'later',
      scheduled_at: scheduledAt,
    });
    assert.equal(created.status, 201);
    assert.equal(created.body.status, 'scheduled');
    assert.equal(created.body.scheduled_at, new Date(scheduledAt).toISOString());

    const sent = await waitForStatus(sut.api, created.body.id, 'sent');
    const [request] = sut.system.fake.messagesTo(phone);
    const lateness = request.at - Date.parse(scheduledAt);
    assert.ok(lateness >= -1000, `sent ${-lateness} ms early`);
    assert.ok(lateness < 2000, `sent ${lateness} ms late`);
    assert.equal(sut.system.fake.messagesTo(phone).length, 1);
    assert.ok(Date.parse(sent.sent_at) >= Date.parse(scheduledAt) - 1000);
  });

  it('shows each scheduled message in Temporal with its phone number and status', async () => {
    const phone = testPhone();
    const created = await sut.api.post('/whatsapp/', {
      phone_number: phone,
      message: 'later',
      scheduled_at: inSeconds(3600),
    });
    const description = await describeWorkflow(created.body.id);
    assert.equal(description.status.name, 'RUNNING');
    assert.equal(description.taskQueue, sut.system.config.temporal.taskQueue);
    assert.equal((await description.memo)?.phone_number, phone);

    const found = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const wf of sut.system.temporal.workflow.list({
          query: `WaPhoneNumber = '${phone}' AND WaMessageStatus = 'scheduled'`,
        }))
          ids.push(wf.workflowId);
        return ids.length ? ids : undefined;
      },
      { what: 'the workflow to be listed by its search attributes' },
    );
    assert.deepEqual(found, [`message-${created.body.id}`]);
  });

  it('a cancelled message is never sent and its workflow ends cancelled (or is never started)', async () => {
    const phone = testPhone();
    const scheduledAt = inSeconds(2);
    const created = await sut.api.post('/whatsapp/', {
      phone_number: phone,
      message: 'never',
      scheduled_at: scheduledAt,
    });
    const cancelled = await sut.api.delete(`/whatsapp/${created.body.id}/`);
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');

    // Cancelled before the dispatcher took its start, the message gets no workflow at all.
    const pendingStart = () =>
      sut.system
        .db('workflow_outbox')
        .where({ workflow_id: `message-${created.body.id}` })
        .first();
    await eventually(
      async () => {
        const status = await sut.system.temporal.workflow
          .getHandle(`message-${created.body.id}`)
          .describe()
          .then(
            (d) => d.status.name,
            () => 'NONE',
          );
        return status === 'CANCELLED' || (status === 'NONE' && !(await pendingStart()));
      },
      { what: 'workflow cancelled or never started' },
    );
    await eventually(() => Date.now() > Date.parse(scheduledAt) + 1500, { what: 'the original time to pass' });
    assert.equal(sut.system.fake.messagesTo(phone).length, 0);
    assert.equal((await sut.api.get(`/whatsapp/${created.body.id}`)).body.status, 'cancelled');

    const again = await sut.api.delete(`/whatsapp/${created.body.id}/`);
    assert.equal(again.status, 200, 'cancelling twice is harmless');
  });

  it('refuses to cancel a message that was already sent', async () => {
    const created = await sut.api.post('/whatsapp/', { phone_number: testPhone(), message: 'now' });
    await waitForStatus(sut.api, created.body.id, 'sent');
    const response = await sut.api.delete(`/whatsapp/${created.body.id}/`);
    assert.equal(response.status, 409);
    assert.equal(response.body.error.code, 'message_not_cancellable');
  });

  it('a rescheduled message is sent at the new time only, by the same workflow', async () => {
    const phone = testPhone();
    const created = await sut.api.post('/whatsapp/', {
      phone_number: phone,
      message: 'moved',
      scheduled_at: inSeconds(1.5),
    });
    const { runId } = await describeWorkflow(created.body.id);
    const newTime = inSeconds(4);
    const moved = await sut.api.patch(`/whatsapp/${created.body.id}/`, { scheduled_at: newTime });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.scheduled_at, new Date(newTime).toISOString());

    await waitForStatus(sut.api, created.body.id, 'sent');
    const requests = sut.system.fake.messagesTo(phone);
    assert.equal(requests.length, 1);
    assert.ok(requests[0].at >= Date.parse(newTime) - 1000, 'not sent at the old time');
    const after = await describeWorkflow(created.body.id);
    assert.equal(after.runId, runId, 'no second workflow');
  });

  it('can be moved earlier as well', async () => {
    const phone = testPhone();
    const created = await sut.api.post('/whatsapp/', {
      phone_number: phone,
      message: 'sooner',
      scheduled_at: inSeconds(3600),
    });
    const newTime = inSeconds(1.5);
    assert.equal((await sut.api.patch(`/whatsapp/${created.body.id}`, { scheduled_at: newTime })).status, 200);
    await waitForStatus(sut.api, created.body.id, 'sent');
    assert.ok(sut.system.fake.messagesTo(phone)[0].at >= Date.parse(newTime) - 1000);
  });

  it('rejects a time in the past, and rescheduling a sent message', async () => {
    const past = await sut.api.post('/whatsapp/', {
      phone_number: testPhone(),
      message: 'x',
      scheduled_at: '2020-01-01T00:00:00Z',
    });
    assert.equal(past.status, 400);
    assert.equal(past.body.error.details[0].path, 'scheduled_at');
    assert.match(past.body.error.message, /in the past/);
    assert.equal((await sut.system.db('messages').count({ n: '*' }))[0].n, 0, 'nothing half-written');

    const sent = await sut.api.post('/whatsapp/', { phone_number: testPhone(), message: 'now' });
    await waitForStatus(sut.api, sent.body.id, 'sent');
    const late = await sut.api.patch(`/whatsapp/${sent.body.id}/`, { scheduled_at: inSeconds(60) });
    assert.equal(late.status, 409);
  });

  it('still sends a scheduled message when the worker was down at its time', async () => {
    const phone = testPhone();
    const scheduledAt = inSeconds(1.5);
    const created = await sut.api.post('/whatsapp/', {
      phone_number: phone,
      message: 'durable',
      scheduled_at: scheduledAt,
    });
    await sut.system.stopWorker();
    try {
      await eventually(() => Date.now() > Date.parse(scheduledAt) + 1000, { what: 'the due time to pass' });
      assert.equal(sut.system.fake.messagesTo(phone).length, 0);
    } finally {
      await sut.system.startWorker();
    }
    await waitForStatus(sut.api, created.body.id, 'sent');
    assert.equal(sut.system.fake.messagesTo(phone).length, 1);
  });
});
