import assert from 'node:assert/strict';
import { assertError } from '../helpers/assert-error';
import { testPhone } from '../helpers/api-client';
import { groupWithMembers, messageReaches } from '../helpers/broadcasts';
import { waitForStatus } from '../helpers/messages';
import { eventually } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';

const buttons = {
  type: 'button',
  header: { type: 'text', text: 'Menu' },
  body: 'What would you like to know?',
  footer: 'Tap one',
  buttons: [
    { id: 'prices', title: 'Prices' },
    { id: 'hours', title: 'Opening hours' },
  ],
};
const list = {
  type: 'list',
  body: 'Pick a product',
  button: 'Products',
  sections: [
    {
      title: 'Coffee',
      rows: [
        { id: 'espresso', title: 'Espresso', description: 'Short and strong' },
        { id: 'latte', title: 'Latte' },
      ],
    },
    { title: 'Tea', rows: [{ id: 'green', title: 'Green tea' }] },
  ],
};
const cta = {
  type: 'cta_url',
  body: 'Our menu is online',
  cta: { display_text: 'Open menu', url: 'https://example.com/menu' },
};

describe('interactive messages through POST /whatsapp/', () => {
  const sut = useSystem();

  /** Sends one interactive message and returns the body that reached the fake 360Dialog. */
  async function sentBody(interactive: unknown) {
    const phone = testPhone();
    const created = await sut.api.post('/whatsapp/', { phone_number: phone, interactive });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.type, 'interactive');
    assert.deepEqual(created.body.interactive, interactive);
    await waitForStatus(sut.api, created.body.id, 'sent');
    const [request] = sut.system.fake.messagesTo(phone);
    return { id: created.body.id, phone, body: request.body };
  }

  it('sends reply buttons with the exact Cloud API body', async () => {
    const { id, phone, body } = await sentBody(buttons);
    assert.deepEqual(body, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: phone,
      biz_opaque_callback_data: String(id),
      type: 'interactive',
      interactive: {
        type: 'button',
        header: { type: 'text', text: 'Menu' },
        body: { text: 'What would you like to know?' },
        footer: { text: 'Tap one' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'prices', title: 'Prices' } },
            { type: 'reply', reply: { id: 'hours', title: 'Opening hours' } },
          ],
        },
      },
    });
  });

  it('sends a list and a CTA URL button with the exact Cloud API bodies', async () => {
    const sentList = await sentBody(list);
    assert.deepEqual(sentList.body.interactive, {
      type: 'list',
      body: { text: 'Pick a product' },
      action: {
        button: 'Products',
        sections: [
          {
            title: 'Coffee',
            rows: [
              { id: 'espresso', title: 'Espresso', description: 'Short and strong' },
              { id: 'latte', title: 'Latte' },
            ],
          },
          { title: 'Tea', rows: [{ id: 'green', title: 'Green tea' }] },
        ],
      },
    });
    const sentCta = await sentBody(cta);
    assert.equal(sentCta.body.type, 'interactive');
    assert.deepEqual(sentCta.body.interactive, {
      type: 'cta_url',
      body: { text: 'Our menu is online' },
      action: { name: 'cta_url', parameters: { display_text: 'Open menu', url: 'https://example.com/menu' } },
    });
  });

  it('broadcasts interactive content to every member of a group', async () => {
    const { group, optedIn } = await groupWithMembers(sut.system.db, sut.api, 3);
    const created = await sut.api.post('/whatsapp/', { group_id: group.id, interactive: buttons });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await messageReaches(sut.api, created.body.id, 'sent');
    await eventually(() => optedIn.every((phone) => sut.system.fake.messagesTo(phone).length === 1), {
      what: 'every member reached',
    });
    for (const phone of optedIn) {
      const [request] = sut.system.fake.messagesTo(phone);
      assert.equal(request.body.type, 'interactive');
      assert.deepEqual(
        request.body.interactive.action.buttons.map((b: any) => b.reply.id),
        ['prices', 'hours'],
      );
    }
  });

  it("refuses content over WhatsApp's limits with a 400 naming the field, and writes nothing", async () => {
    const phone = testPhone();
    const bad = async (interactive: unknown, path: string, extra: Record<string, unknown> = {}) => {
      const error = assertError(
        await sut.api.post('/whatsapp/', { phone_number: phone, interactive, ...extra }),
        400,
        'validation_error',
      );
      assert.ok(
        error.details?.some((d) => d.path === path),
        `${path} not named: ${JSON.stringify(error.details)}`,
      );
    };
    const button = (id: string, title = id) => ({ id, title });
    await bad({ ...buttons, buttons: ['a', 'b', 'c', 'd'].map((id) => button(id)) }, 'interactive.buttons');
    await bad({ ...buttons, buttons: [] }, 'interactive.buttons');
    await bad({ ...buttons, buttons: [button('a', 'x'.repeat(21))] }, 'interactive.buttons.0.title');
    await bad({ ...buttons, buttons: [button('x'.repeat(257), 'A')] }, 'interactive.buttons.0.id');
    await bad({ ...buttons, buttons: [button('same', 'A'), button('same', 'B')] }, 'interactive.buttons.1.id');
    await bad({ ...buttons, body: 'x'.repeat(1025) }, 'interactive.body');
    await bad({ ...buttons, footer: 'x'.repeat(61) }, 'interactive.footer');
    await bad({ ...buttons, header: { type: 'text', text: 'x'.repeat(61) } }, 'interactive.header.text');
    await bad({ ...buttons, colour: 'red' }, 'interactive.colour');
    await bad({ ...list, button: 'x'.repeat(21) }, 'interactive.button');
    const rows = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, title: `Row ${i}` }));
    await bad(
      {
        ...list,
        sections: [
          { title: 'A', rows: rows(6, 'a') },
          { title: 'B', rows: rows(5, 'b') },
        ],
      },
      'interactive.sections',
    );
    await bad(
      { ...list, sections: [{ rows: [{ id: 'r', title: 'x'.repeat(25) }] }] },
      'interactive.sections.0.rows.0.title',
    );
    await bad(
      { ...list, sections: [{ rows: [{ id: 'r', title: 'R', description: 'x'.repeat(73) }] }] },
      'interactive.sections.0.rows.0.description',
    );
    await bad({ ...list, sections: [{ title: 'x'.repeat(25), rows: rows(1, 'a') }] }, 'interactive.sections.0.title');
    await bad(
      { ...list, sections: [{ title: 'A', rows: rows(1, 'a') }, { rows: rows(1, 'b') }] },
      'interactive.sections.1.title',
    );
    await bad(
      {
        ...list,
        sections: [
          { title: 'A', rows: rows(1, 'a') },
          { title: 'B', rows: rows(1, 'a') },
        ],
      },
      'interactive.sections.1.rows.0.id',
    );
    await bad({ ...cta, cta: { display_text: 'Open', url: 'javascript:alert(1)' } }, 'interactive.cta.url');
    await bad(
      { ...cta, cta: { display_text: 'x'.repeat(21), url: 'https://example.com' } },
      'interactive.cta.display_text',
    );
    await bad({ type: 'carousel', body: 'x' }, 'interactive.type');
    await bad(buttons, 'message', { message: 'and text too' });
    assert.equal((await sut.api.get('/whatsapp/')).body.count, 0, 'nothing written');
    assert.equal(sut.system.fake.messagesTo(phone).length, 0, 'nothing sent');
  });
});
