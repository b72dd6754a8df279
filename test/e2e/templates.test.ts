import assert from 'node:assert/strict';
import { testPhone } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { waitForStatus } from '../helpers/messages';
import { eventually } from '../helpers/poll';
import { postWebhook } from '../helpers/webhooks';
import { useSystem } from '../helpers/use-system';
import { templateQualityUpdate, templateStatusUpdate } from '../fakes/webhook-bodies';

const ORDER_UPDATE = {
  name: 'order_update',
  language: 'en_US',
  category: 'UTILITY',
  components: [
    { type: 'HEADER', format: 'IMAGE' },
    { type: 'BODY', text: 'Hi {{1}}, your order {{2}} is on its way.' },
    {
      type: 'BUTTONS',
      buttons: [
        { type: 'QUICK_REPLY', text: 'Thanks' },
        { type: 'URL', text: 'Track', url: 'https://shop.example/t/{{1}}' },
      ],
    },
  ],
};
const text = (value: string) => ({ type: 'text', text: value });

describe('templates synced from 360Dialog', () => {
  const sut = useSystem({ TEMPLATE_SYNC_INTERVAL: '1h', SERVICE_WINDOW_POLICY: 'off' });

  /** A template webhook makes the templates-sync workflow read the list again; waits until GET /templates/ shows
   * `count`. */
  async function syncAndWait(count: number) {
    assert.equal((await postWebhook(sut.api, templateStatusUpdate('any', 'en', 'APPROVED'))).status, 200);
    return eventually(
      async () => {
        const { body } = await sut.api.get('/templates/?page_size=500');
        return body.count === count ? body : undefined;
      },
      { what: `${count} templates synced`, timeoutMs: 30_000 },
    );
  }

  it('pages through GET /v1/configs/templates on a webhook, and lists, filters and shows them with parameter counts', async () => {
    sut.system.fake.addTemplate(ORDER_UPDATE);
    for (let i = 0; i < 149; i++) {
      sut.system.fake.addTemplate({
        name: `promo_${i}`,
        language: i % 2 ? 'de' : 'en',
        category: 'MARKETING',
        status: i < 5 ? 'PAUSED' : 'APPROVED',
      });
    }
    await syncAndWait(150);
    const pages = sut.system.fake.requests.filter((r) => r.path === '/v1/configs/templates' && r.method === 'GET');
    assert.ok(pages.length >= 2, 'read in pages');

    assert.equal((await sut.api.get('/templates/?status=paused')).body.count, 5);
    assert.equal((await sut.api.get('/templates/?category=MARKETING&language=de&page_size=1')).body.count, 74);
    const byName = await sut.api.get('/templates/?name=order');
    assert.equal(byName.body.count, 1);
    const shown = await sut.api.get(`/templates/${byName.body.results[0].id}/`);
    assert.equal(shown.status, 200);
    assert.equal(shown.body.status, 'APPROVED');
    assert.equal(shown.body.quality, 'GREEN');
    assert.equal(shown.body.category, 'UTILITY');
    assert.deepEqual(shown.body.parameters, [
      { component: 'header', count: 1 },
      { component: 'body', count: 2 },
      { component: 'button', index: 1, count: 1 },
    ]);
    assertError(await sut.api.get('/templates/99999999/'), 404, 'not_found');
    assertError(await sut.api.get('/templates/?status=SOMETIMES'), 400, 'validation_error');

    // A template deleted on 360Dialog disappears at the next sync (a quality webhook triggers it too).
    sut.system.fake.templates.splice(1, 10);
    assert.equal((await postWebhook(sut.api, templateQualityUpdate('promo_20', 'en', 'GREEN', 'YELLOW'))).status, 200);
    await eventually(async () => (await sut.api.get('/templates/')).body.count === 140, {
      what: 'deleted templates removed',
      timeoutMs: 30_000,
    });
  });

  it('checks a template message at POST time: name, language, status and parameters per component', async () => {
    sut.system.fake.addTemplate(ORDER_UPDATE);
    sut.system.fake.addTemplate({ name: 'spring_sale', category: 'MARKETING', status: 'PAUSED' });
    await syncAndWait(2);
    const phone = testPhone();
    const send = (template: unknown) => sut.api.post('/whatsapp/', { phone_number: phone, template });
    const components = [
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://shop.example/a.jpg' } }] },
      { type: 'body', parameters: [text('Ana'), text('A-17')] },
      { type: 'button', sub_type: 'url', index: 1, parameters: [text('A-17')] },
    ];

    const unknown = assertError(await send({ name: 'no_such', language: 'en_US' }), 422, 'template_not_found');
    assert.equal(unknown.details?.[0].path, 'template.name');
    const language = assertError(await send({ name: 'order_update', language: 'de' }), 422, 'template_not_found');
    assert.equal(language.details?.[0].path, 'template.language');
    assert.match(language.message, /only in en_US/);
    assert.match(
      assertError(await send({ name: 'spring_sale', language: 'en' }), 422, 'template_not_approved').message,
      /PAUSED/,
    );
    const short = assertError(
      await send({
        name: 'order_update',
        language: 'en_US',
        components: [components[0], { type: 'body', parameters: [text('Ana')] }, components[2]],
      }),
      422,
      'template_parameters',
    );
    assert.deepEqual(short.details, [{ path: 'template.components', message: 'body needs 2 parameter(s), got 1' }]);
    const missing = assertError(
      await send({ name: 'order_update', language: 'en_US', components: components.slice(1) }),
      422,
      'template_parameters',
    );
    assert.match(missing.message, /header needs 1 parameter\(s\), got none/);
    assertError(
      await sut.api.post('/whatsapp/', {
        phone_number: phone,
        message: 'x',
        fallback_template: { name: 'no_such', language: 'en' },
      }),
      422,
      'template_not_found',
    );
    assert.equal(sut.system.fake.messagesTo(phone).length, 0);

    const ok = await send({ name: 'order_update', language: 'en_US', components });
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.deepEqual(ok.body.warnings, []);
    await waitForStatus(sut.api, ok.body.id, 'sent');
  });

  it('before the first sync a template message is accepted with a warning', async () => {
    const created = await sut.api.post('/whatsapp/', {
      phone_number: testPhone(),
      template: { name: 'anything', language: 'en' },
    });
    assert.equal(created.status, 201);
    assert.deepEqual(
      created.body.warnings.map((w: any) => w.code),
      ['templates_not_synced'],
    );
  });

  it('POST /templates/ validates, submits to 360Dialog, and follows the review by webhook', async () => {
    const bad = await sut.api.post('/templates/', { ...ORDER_UPDATE, name: 'Order Update', category: 'PROMO' });
    const error = assertError(bad, 400, 'validation_error');
    assert.deepEqual(error.details?.map((d) => d.path).sort(), ['category', 'name']);
    const twoBodies = await sut.api.post('/templates/', {
      ...ORDER_UPDATE,
      components: [
        { type: 'BODY', text: 'a' },
        { type: 'BODY', text: 'b' },
      ],
    });
    assert.match(assertError(twoBodies, 400, 'validation_error').message, /exactly one BODY/);
    const gap = await sut.api.post('/templates/', {
      ...ORDER_UPDATE,
      components: [{ type: 'BODY', text: 'Hi {{1}} and {{3}}' }],
    });
    assert.equal(assertError(gap, 400, 'validation_error').details?.[0].path, 'components.0.text');
    assert.equal(
      sut.system.fake.requests.filter((r) => r.method === 'POST' && r.path === '/v1/configs/templates').length,
      0,
      'nothing bad reaches 360Dialog',
    );

    const created = await sut.api.post('/templates/', ORDER_UPDATE);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.status, 'PENDING');
    const [submitted] = sut.system.fake.requests.filter(
      (r) => r.method === 'POST' && r.path === '/v1/configs/templates',
    );
    assert.deepEqual(submitted.body, ORDER_UPDATE);
    assertError(await sut.api.post('/templates/', ORDER_UPDATE), 409, 'duplicate_template');

    sut.system.fake.templates[0].status = 'APPROVED';
    assert.equal((await postWebhook(sut.api, templateStatusUpdate('order_update', 'en_US', 'APPROVED'))).status, 200);
    await eventually(async () => (await sut.api.get(`/templates/${created.body.id}/`)).body.status === 'APPROVED', {
      what: 'approved after the webhook',
      timeoutMs: 30_000,
    });
  });
});
