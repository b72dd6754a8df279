import assert from 'node:assert/strict';
import { testPhone } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { eventually } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';

const SECRET = 'wp-secret-for-sequences';
const welcome = { template: { name: 'lead_welcome', language: 'en', params: ['there'] }, delay: '0s' };

describe('follow-up sequences', () => {
  const sut = useSystem({ WORDPRESS_WEBHOOK_SECRET: SECRET });
  const createSequence = async (body: Record<string, unknown>) => {
    const response = await sut.api.post('/sequences/', body);
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  };

  it('speed to lead: a form submission gets the first template at 360Dialog within seconds', async () => {
    const sequence = await createSequence({
      name: 'New WordPress leads',
      trigger: { type: 'source', source: 'wordpress' },
      steps: [
        { ...welcome, template: { name: 'lead_welcome', language: 'en', params: ['Ada'] } },
        { text: 'Any questions?', delay: '2d', only_if_no_reply: true },
      ],
    });
    const phone = testPhone();
    const submittedAt = Date.now();
    const lead = await sut.api.post(
      '/webhooks/wordpress/',
      { name: 'Ada', phone, form_id: 3 },
      { headers: { 'x-webhook-secret': SECRET } },
    );
    assert.equal(lead.status, 201, JSON.stringify(lead.body));

    const [sent] = await eventually(
      () => sut.system.fake.messagesTo(phone).length > 0 && sut.system.fake.messagesTo(phone),
      { timeoutMs: 10_000, what: 'the template at the fake 360Dialog' },
    );
    const seconds = (Date.now() - submittedAt) / 1000;
    assert.ok(seconds < 10, `took ${seconds} s`);
    assert.equal(sent.body.type, 'template');
    assert.equal(sent.body.template.name, 'lead_welcome');
    assert.deepEqual(sent.body.template.components, [{ type: 'body', parameters: [{ type: 'text', text: 'Ada' }] }]);

    const enrollments = (await sut.api.get(`/sequences/${sequence.id}/enrollments/`)).body;
    assert.equal(enrollments.count, 1);
    const [enrollment] = enrollments.results;
    assert.equal(enrollment.contact_id, lead.body.contact.id);
    assert.equal(enrollment.workflow_id, `sequence-${sequence.id}-contact-${lead.body.contact.id}`);
    // The second step waits two days: the enrolment is active at step 1, and Temporal shows the workflow running.
    await eventually(
      async () => {
        const now = (await sut.api.get(`/sequences/${sequence.id}/enrollments/${enrollment.id}/`)).body;
        return now.state === 'active' && now.current_step === 1 && now.next_step_at;
      },
      { what: 'the enrolment waiting for step 1' },
    );
    const description = await sut.system.temporal.workflow.getHandle(enrollment.workflow_id).describe();
    assert.equal(description.status.name, 'RUNNING');
    assert.equal(description.type, 'sequenceEnrollmentWorkflow');

    // A repeated delivery of the same form enrols nobody twice and sends nothing more.
    const again = await sut.api.post(
      '/webhooks/wordpress/',
      { name: 'Ada', phone, form_id: 3 },
      { headers: { 'x-webhook-secret': SECRET } },
    );
    assert.equal(again.status, 200);
    assert.equal((await sut.api.get(`/sequences/${sequence.id}/enrollments/`)).body.count, 1);

    const cancelled = await sut.api.delete(`/sequences/${sequence.id}/enrollments/${enrollment.id}/`);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.state, 'cancelled');
    await eventually(
      async () =>
        (await sut.system.temporal.workflow.getHandle(enrollment.workflow_id).describe()).status.name !== 'RUNNING',
      { what: 'the workflow to end' },
    );
    assert.equal(sut.system.fake.messagesTo(phone).length, 1);
  });

  it('a tag trigger enrols API-created contacts; an explicit enrolment of an opted-out contact is refused with a reason', async () => {
    const sequence = await createSequence({ name: 'VIPs', trigger: { type: 'tag', tag: 'VIP' }, steps: [welcome] });
    const vip = (await sut.api.post('/contacts/', { name: 'Vera', phone_number: testPhone(), tags: ['vip'] })).body;
    const plain = (await sut.api.post('/contacts/', { name: 'Paul', phone_number: testPhone() })).body;
    await eventually(() => sut.system.fake.messagesTo(vip.phone_number).length === 1, { what: 'the VIP template' });
    const listed = (await sut.api.get(`/sequences/${sequence.id}/enrollments/`)).body.results;
    assert.deepEqual(
      listed.map((e: { contact_id: number }) => e.contact_id),
      [vip.id],
    );
    await eventually(
      async () => (await sut.api.get(`/sequences/${sequence.id}/enrollments/?state=completed`)).body.count === 1,
      { what: 'completed' },
    );

    const stopped = (await sut.api.post('/contacts/', { name: 'Stopped', phone_number: testPhone(), opted_out: true }))
      .body;
    const refused = assertError(
      await sut.api.post(`/sequences/${sequence.id}/enrollments/`, { contact_id: stopped.id }),
      422,
      'contact_opted_out',
    );
    assert.match(refused.message, /opted out/);
    assertError(
      await sut.api.post(`/sequences/${sequence.id}/enrollments/`, { contact_id: vip.id }),
      409,
      'already_enrolled',
    );
    assertError(
      await sut.api.post(`/sequences/${sequence.id}/enrollments/`, { contact_id: 999_999 }),
      400,
      'validation_error',
    );

    const manual = await sut.api.post(`/sequences/${sequence.id}/enrollments/`, { contact_id: plain.id });
    assert.equal(manual.status, 201, JSON.stringify(manual.body));
    await eventually(() => sut.system.fake.messagesTo(plain.phone_number).length === 1, {
      what: 'the manual enrolment template',
    });
  });

  it('a CSV import enrols the new contacts its source triggers, once, and never an opted-out number', async () => {
    const sequence = await createSequence({
      name: 'Imported',
      trigger: { type: 'source', source: 'csv' },
      steps: [welcome],
    });
    const [fresh, stopped] = [testPhone(), testPhone()];
    // On the suppression list without a contact: the import creates it, opted out.
    const gone = (await sut.api.post('/contacts/', { name: 'Stopped', phone_number: stopped, opted_out: true })).body;
    assert.equal((await sut.api.delete(`/contacts/${gone.id}/`)).status, 204);
    const csv = `name,phone_number\nFresh,${fresh}\nStopped,${stopped}\n`;
    const upload = () =>
      sut.api.request('POST', '/contacts/import/', { rawBody: csv, headers: { 'content-type': 'text/csv' } });
    assert.equal((await upload()).status, 201);
    await eventually(() => sut.system.fake.messagesTo(fresh).length === 1, { what: "the imported contact's template" });
    assert.equal((await upload()).status, 201);
    const enrollments = (await sut.api.get(`/sequences/${sequence.id}/enrollments/`)).body;
    assert.equal(enrollments.count, 1);
    assert.equal(sut.system.fake.messagesTo(stopped).length, 0);
    assert.equal((await sut.system.db('contacts').where({ phone_number: stopped }).first()).opted_out, true);
  });

  it('validates sequences and names the bad fields', async () => {
    const bad = await sut.api.post('/sequences/', {
      name: '',
      trigger: { type: 'source', source: 'fax' },
      steps: [
        { text: 'hi', template: { name: 'x', language: 'en' } },
        { text: 'later', delay: '5 weeks' },
        { text: 'at', at: { time: '25:00', time_zone: 'Mars/Base' } },
      ],
    });
    const error = assertError(bad, 400, 'validation_error');
    const paths = error.details?.map((d) => d.path) ?? [];
    for (const path of [
      'name',
      'trigger.source',
      'steps.0.template',
      'steps.1.delay',
      'steps.2.at.time',
      'steps.2.at.time_zone',
    ])
      assert.ok(paths.includes(path), `${path} in ${paths.join(', ')}`);
    assertError(await sut.api.post('/sequences/', { name: 'empty', steps: [] }), 400, 'validation_error');
    assertError(await sut.api.get('/sequences/12345/'), 404, 'not_found');

    const created = await createSequence({ name: 'Edit me', steps: [welcome] });
    assert.deepEqual(created.trigger, { type: 'manual' });
    const patched = await sut.api.patch(`/sequences/${created.id}/`, {
      steps: [welcome, { text: 'Hello again', at: { time: '09:00', time_zone: 'Europe/Berlin' } }],
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.steps.length, 2);
    assertError(
      await sut.api.post('/sequences/', { name: 'Edit me', steps: [welcome] }),
      409,
      'duplicate_sequence_name',
    );
    assert.equal((await sut.api.delete(`/sequences/${created.id}/`)).status, 204);
  });
});
