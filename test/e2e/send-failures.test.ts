import assert from 'node:assert/strict';
import { testPhone } from '../helpers/api-client';
import { waitForStatus } from '../helpers/messages';
import { useSystem } from '../helpers/use-system';

describe('when 360Dialog fails', () => {
  const sut = useSystem();

  it('retries 429, 500 and a timeout with backoff, then ends sent', async () => {
    const phone = testPhone();
    sut.system.fake.failWithStatus(1, 429);
    sut.system.fake.failWithStatus(1, 500);
    sut.system.fake.failNext(1, { kind: 'hang', ms: 5_000 });
    const created = await sut.api.post('/whatsapp/', { phone_number: phone, message: 'persistent' });
    const sent = await waitForStatus(sut.api, created.body.id, 'sent', 30_000);
    assert.equal(sut.system.fake.messagesTo(phone).length, 4);
    assert.equal(sent.attempts, 4, 'every try at WhatsApp is counted');
    assert.equal(sent.error, null);
  });

  it('retries Meta throughput errors (130429) as temporary', async () => {
    const phone = testPhone();
    sut.system.fake.failWithMetaCode(1, 130429);
    const created = await sut.api.post('/whatsapp/', { phone_number: phone, message: 'busy' });
    await waitForStatus(sut.api, created.body.id, 'sent');
    assert.equal(sut.system.fake.messagesTo(phone).length, 2);
  });

  it('ends a permanent error (131047) as failed with the code and a human explanation, without retrying', async () => {
    const phone = testPhone();
    sut.system.fake.failWithMetaCode(1, 131047);
    const created = await sut.api.post('/whatsapp/', { phone_number: phone, message: 'too late' });
    const failed = await waitForStatus(sut.api, created.body.id, 'failed');
    assert.equal(failed.error.code, '131047');
    assert.match(failed.error.message, /24-hour window/);
    assert.match(failed.error.message, /template/);
    assert.equal(sut.system.fake.messagesTo(phone).length, 1);
  });

  it('treats a rejected API key as permanent', async () => {
    const phone = testPhone();
    sut.system.fake.failWithStatus(1, 401);
    const created = await sut.api.post('/whatsapp/', { phone_number: phone, message: 'x' });
    const failed = await waitForStatus(sut.api, created.body.id, 'failed');
    assert.equal(failed.error.code, '401');
    assert.match(failed.error.message, /D360_API_KEY/);
  });

  it('sends nothing to a contact who opted out, checked at send time', async () => {
    const phone = testPhone();
    const contact = await sut.api.post('/contacts/', { name: 'Quiet', phone_number: phone });
    const created = await sut.api.post('/whatsapp/', {
      contact_id: contact.body.id,
      message: 'hi',
      scheduled_at: new Date(Date.now() + 1500).toISOString(),
    });
    assert.equal(created.status, 201);
    assert.equal(
      (await sut.api.put(`/contacts/${contact.body.id}/`, { name: 'Quiet', phone_number: phone, opted_out: true }))
        .status,
      200,
    );

    const failed = await waitForStatus(sut.api, created.body.id, 'failed');
    assert.equal(failed.error.code, 'opted_out');
    assert.equal(sut.system.fake.messagesTo(phone).length, 0);
  });
});
