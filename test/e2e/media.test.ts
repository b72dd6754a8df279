import assert from 'node:assert/strict';
import { inboundFrom, textMessage } from '../fakes/webhook-bodies';
import { assertError } from '../helpers/assert-error';
import { testPhone } from '../helpers/api-client';
import { waitForStatus } from '../helpers/messages';
import { eventually } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';
import { inboundMessages, postWebhook } from '../helpers/webhooks';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(2048, 7)]);

describe('media: POST /media/ uploads, sending by id, inbound media streamed back', () => {
  const sut = useSystem();

  const upload = async (bytes: Buffer, mimeType: string, filename = 'file.bin', field = 'file') => {
    const form = new FormData();
    form.append(field, new Blob([bytes], { type: mimeType }), filename);
    const response = await fetch(`${sut.system.baseUrl}/media/`, { method: 'POST', body: form });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  };

  it('uploads a PNG to 360Dialog as multipart and sends it by id with the exact Cloud API body', async () => {
    const uploaded = await upload(PNG, 'image/png', 'menu.png');
    assert.equal(uploaded.status, 201, JSON.stringify(uploaded.body));
    assert.deepEqual(
      { ...uploaded.body, id: undefined },
      { id: undefined, type: 'image', mime_type: 'image/png', filename: 'menu.png', size: PNG.length },
    );
    const atFake = sut.system.fake.media.get(uploaded.body.id);
    assert.ok(atFake, 'the fake holds the upload under the returned id');
    assert.deepEqual(atFake.bytes, PNG);
    assert.equal(atFake.mimeType, 'image/png');
    assert.equal(atFake.filename, 'menu.png');
    assert.deepEqual(atFake.fields, { messaging_product: 'whatsapp', type: 'image/png' });
    const request = sut.system.fake.requests.find((r) => r.path === '/media');
    assert.equal(request?.headers['d360-api-key'], sut.system.fake.apiKey);

    const phone = testPhone();
    const created = await sut.api.post('/whatsapp/', {
      phone_number: phone,
      media: { type: 'image', id: uploaded.body.id, caption: 'Our menu' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await waitForStatus(sut.api, created.body.id, 'sent');
    const [sent] = sut.system.fake.messagesTo(phone);
    assert.deepEqual(sent.body, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: phone,
      biz_opaque_callback_data: String(created.body.id),
      type: 'image',
      image: { id: uploaded.body.id, caption: 'Our menu' },
    });
  });

  it("refuses a type WhatsApp does not take, a file over its type's limit, a missing file, and link with id", async () => {
    const gif = assertError(await upload(Buffer.from('GIF89a'), 'image/gif', 'a.gif'), 400, 'validation_error');
    assert.equal(gif.details?.[0].path, 'file');
    const big = assertError(
      await upload(Buffer.alloc(5 * 1024 * 1024 + 1, 1), 'image/jpeg', 'big.jpg'),
      413,
      'file_too_large',
    );
    assert.equal(big.details?.[0].path, 'file');
    const sticker = assertError(
      await upload(Buffer.alloc(600 * 1024, 1), 'image/webp', 's.webp'),
      413,
      'file_too_large',
    );
    assert.match(sticker.message, /image\/webp/);
    const missing = assertError(await upload(PNG, 'image/png', 'a.png', 'picture'), 400, 'validation_error');
    assert.equal(missing.details?.[0].path, 'file');
    assertError(await sut.api.post('/media/', { file: 'x' }), 415, 'unsupported_media_type');
    const both = assertError(
      await sut.api.post('/whatsapp/', {
        phone_number: testPhone(),
        media: { type: 'image', id: '123', link: 'https://example.com/a.png' },
      }),
      400,
      'validation_error',
    );
    assert.equal(both.details?.[0].path, 'media.link');
    assert.equal(sut.system.fake.media.size, 0, 'nothing refused reached 360Dialog');
  });

  it('keeps uploads to 25 a second: 30 at once reach 360Dialog over more than a second', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => upload(PNG, 'image/png')));
    assert.deepEqual(
      answers.map((a) => a.status),
      Array(30).fill(201),
    );
    const times = sut.system.fake.requests
      .filter((r) => r.path === '/media')
      .map((r) => r.at)
      .sort((a, b) => a - b);
    assert.equal(times.length, 30);
    // 30 slots 40 ms apart span 29 x 40 = 1,160 ms; a little slack for timers.
    assert.ok(times[29] - times[0] >= 1_100, `30 uploads within ${times[29] - times[0]} ms`);
  });

  it('maps 360Dialog failures: 503 when it is down or throttling, 502 when it refuses', async () => {
    sut.system.fake.failMediaNext(1, {
      kind: 'reply',
      status: 503,
      body: { meta: { success: false, http_code: 503, developer_message: 'down' } },
    });
    assertError(await upload(PNG, 'image/png'), 503, 'whatsapp_unavailable');
    sut.system.fake.failMediaNext(1, {
      kind: 'reply',
      status: 400,
      body: { error: { message: '(#100) Invalid parameter', code: 100 } },
    });
    assertError(await upload(PNG, 'image/png'), 502, 'whatsapp_error');
  });

  it('records inbound media with its id, MIME type and caption, and streams it from 360Dialog', async () => {
    const phone = testPhone();
    const bytes = Buffer.from('%PDF-1.4 fake invoice');
    const mediaId = sut.system.fake.addMedia(bytes, 'application/pdf');
    const document = {
      ...textMessage('', { from: phone }),
      type: 'document',
      text: undefined,
      document: {
        id: mediaId,
        mime_type: 'application/pdf',
        sha256: 'abc',
        caption: 'My invoice',
        filename: 'invoice.pdf',
      },
    };
    const text = textMessage('no media here', { from: phone });
    for (const message of [document, text])
      assert.equal((await postWebhook(sut.api, inboundFrom(message, { from: phone }))).status, 200);
    const rows = await eventually(
      async () => {
        const found = (await inboundMessages(sut.api)).filter((m) => m.phone_number === phone);
        return found.length === 2 ? found : undefined;
      },
      { what: 'both inbound messages' },
    );
    const withMedia = rows.find((m) => m.type === 'document');
    assert.deepEqual(withMedia.media, {
      type: 'document',
      id: mediaId,
      mime_type: 'application/pdf',
      sha256: 'abc',
      caption: 'My invoice',
      filename: 'invoice.pdf',
    });
    assert.equal(withMedia.message, 'My invoice');

    const response = await fetch(`${sut.system.baseUrl}/whatsapp/${withMedia.id}/media`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), bytes);
    const paths = sut.system.fake.requests
      .filter((r) => r.method === 'GET' && r.path !== '/v1/configs/templates')
      .map((r) => r.path);
    assert.deepEqual(
      paths,
      [`/${mediaId}`, '/whatsapp_business/attachments/'],
      'media id -> url -> download through the 360Dialog host',
    );

    const plain = rows.find((m) => m.type === 'text');
    assertError(await sut.api.get(`/whatsapp/${plain.id}/media`), 404, 'no_media');
    assertError(await sut.api.get('/whatsapp/999999/media'), 404, 'not_found');
    sut.system.fake.failMediaNext(1, { kind: 'reply', status: 500, body: {} });
    assertError(await sut.api.get(`/whatsapp/${withMedia.id}/media`), 503, 'whatsapp_unavailable');
    sut.system.fake.media.delete(mediaId);
    assertError(await sut.api.get(`/whatsapp/${withMedia.id}/media`), 404, 'media_not_found');
  });
});
