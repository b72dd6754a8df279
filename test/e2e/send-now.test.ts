import assert from 'node:assert/strict';
import { testPhone } from '../helpers/api-client';
import { eventually } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';

describe('sending a WhatsApp message now', () => {
  const sut = useSystem();

  it('reaches 360Dialog once with the exact Cloud API body and key, and ends sent with the wamid', async () => {
    const phone = testPhone();
    const created = await sut.api.post('/whatsapp/', { phone_number: phone, message: 'Hello from API!' });
    assert.equal(created.status, 201);
    assert.equal(created.body.workflow_id, `message-${created.body.id}`);

    const sent = await eventually(
      async () => {
        const { body } = await sut.api.get(`/whatsapp/${created.body.id}/`);
        return body.status === 'sent' ? body : undefined;
      },
      { what: 'message sent' },
    );
    assert.match(sent.provider_message_id, /^wamid\./);
    assert.ok(sent.sent_at);

    const requests = sut.system.fake.messagesTo(phone);
    assert.equal(requests.length, 1);
    assert.equal(requests[0].headers['d360-api-key'], sut.system.fake.apiKey);
    assert.deepEqual(requests[0].body, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: phone,
      biz_opaque_callback_data: String(created.body.id),
      type: 'text',
      text: { body: 'Hello from API!', preview_url: false },
    });
  });
});
