import assert from 'node:assert/strict';
import { testPhone } from '../helpers/api-client';
import { inboundText } from '../fakes/webhook-bodies';
import { eventually } from '../helpers/poll';
import { postWebhook } from '../helpers/webhooks';
import { useSystem } from '../helpers/use-system';

const template = (name: string) => ({ template: { name, language: 'en' } });

/** Two-step sequences with the second step a few seconds out: what happens meanwhile decides it. */
describe('follow-up sequences stop by themselves, and follow edits', () => {
  const sut = useSystem();

  const enrolled = async (steps: unknown[]) => {
    const sequence = (await sut.api.post('/sequences/', { name: `s-${Date.now()}`, steps })).body;
    const contact = (await sut.api.post('/contacts/', { name: 'Lead', phone_number: testPhone() })).body;
    const enrollment = await sut.api.post(`/sequences/${sequence.id}/enrollments/`, { contact_id: contact.id });
    assert.equal(enrollment.status, 201, JSON.stringify(enrollment.body));
    await eventually(() => sut.system.fake.messagesTo(contact.phone_number).length === 1, { what: 'the first step' });
    return { sequence, contact, enrollment: enrollment.body };
  };
  const finalState = (sequenceId: number, enrollmentId: number) =>
    eventually(
      async () => {
        const { state } = (await sut.api.get(`/sequences/${sequenceId}/enrollments/${enrollmentId}/`)).body;
        return state !== 'active' && state;
      },
      { what: 'the enrolment to end' },
    );

  it('a reply before an only_if_no_reply step ends it as stopped_replied', async () => {
    const { sequence, contact, enrollment } = await enrolled([
      template('hello'),
      { text: 'Still interested?', delay: '5s', only_if_no_reply: true },
    ]);
    assert.equal(
      (await postWebhook(sut.api, inboundText('Yes, call me', { from: contact.phone_number }).body)).status,
      200,
    );
    await eventually(async () => (await sut.api.get(`/contacts/${contact.id}/`)).body.service_window_ends_at, {
      what: 'the reply to be stored',
    });
    assert.equal(await finalState(sequence.id, enrollment.id), 'stopped_replied');
    assert.equal(sut.system.fake.messagesTo(contact.phone_number).length, 1);
  });

  it('an opt-out before the next step ends the enrolment as stopped_opted_out, sending nothing more', async () => {
    const { sequence, contact, enrollment } = await enrolled([
      template('hello'),
      { ...template('again'), delay: '3s' },
    ]);
    assert.equal((await sut.api.patch(`/contacts/${contact.id}/`, { opted_out: true })).status, 200);
    assert.equal(await finalState(sequence.id, enrollment.id), 'stopped_opted_out');
    assert.equal(sut.system.fake.messagesTo(contact.phone_number).length, 1);
  });

  it('a deleted contact ends it as stopped_removed', async () => {
    const { sequence, contact, enrollment } = await enrolled([
      template('hello'),
      { ...template('again'), delay: '3s' },
    ]);
    assert.equal((await sut.api.delete(`/contacts/${contact.id}/`)).status, 204);
    assert.equal(await finalState(sequence.id, enrollment.id), 'stopped_removed');
    const [row] = (await sut.api.get(`/sequences/${sequence.id}/enrollments/`)).body.results;
    assert.equal(row.contact_id, null);
    assert.equal(sut.system.fake.messagesTo(contact.phone_number).length, 1);
  });

  it('deleting the sequence cancels its waiting workflows at once', async () => {
    const { sequence, enrollment } = await enrolled([template('hello'), { ...template('later'), delay: '1h' }]);
    const handle = sut.system.temporal.workflow.getHandle(enrollment.workflow_id);
    await eventually(
      async () =>
        (await sut.api.get(`/sequences/${sequence.id}/enrollments/${enrollment.id}/`)).body.current_step === 1,
      { what: 'the wait for step 1' },
    );
    assert.equal((await sut.api.delete(`/sequences/${sequence.id}/`)).status, 204);
    await eventually(async () => (await handle.describe()).status.name === 'CANCELLED', {
      what: 'the workflow cancelled',
    });
    assert.equal((await sut.api.get(`/sequences/${sequence.id}/enrollments/`)).status, 404);
  });

  it('an edit of the steps reaches a running enrolment at its next step', async () => {
    const { sequence, contact, enrollment } = await enrolled([
      template('hello'),
      { ...template('old_offer'), delay: '3s' },
    ]);
    const edited = await sut.api.patch(`/sequences/${sequence.id}/`, {
      steps: [template('hello'), { ...template('new_offer'), delay: '3s' }],
    });
    assert.equal(edited.status, 200);
    assert.equal(await finalState(sequence.id, enrollment.id), 'completed');
    const names = sut.system.fake.messagesTo(contact.phone_number).map((r) => r.body.template.name);
    assert.deepEqual(names, ['hello', 'new_offer']);
    // Each step is an ordinary message the API lists.
    const listed = (await sut.api.get(`/whatsapp/?contact_id=${contact.id}`)).body;
    assert.equal(listed.count, 2);
  });
});
