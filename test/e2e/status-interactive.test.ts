import assert from 'node:assert/strict';
import { assertError } from '../helpers/assert-error';
import { groupWithMembers } from '../helpers/broadcasts';
import { eventually } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';

const menu = {
  type: 'button',
  header: { type: 'text', text: 'This week' },
  body: 'New: cold brew. Want the menu?',
  footer: 'Tap one',
  buttons: [
    { id: 'menu', title: 'Show the menu' },
    { id: 'no', title: 'Not now' },
  ],
};

describe('interactive content on POST /status/', () => {
  const sut = useSystem();

  it('publishes reply buttons to the audience with the exact Cloud API body', async () => {
    const audience = await groupWithMembers(sut.system.db, sut.api, 2);
    const created = await sut.api.post('/status/', { interactive: menu, group_ids: [audience.group.id] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.interactive, menu);
    assert.equal(created.body.text, menu.body, 'the body stands in for the text');
    const published = await eventually(
      async () => {
        const { body } = await sut.api.get(`/status/${created.body.id}/`);
        return body.status === 'published' ? body : undefined;
      },
      { what: 'published', timeoutMs: 30_000 },
    );
    assert.equal(published.counts.sent, 2);
    for (const phone of audience.optedIn) {
      const [request, ...more] = sut.system.fake.messagesTo(phone);
      assert.equal(more.length, 0);
      const { biz_opaque_callback_data: callback, ...body } = request.body;
      assert.match(callback, /^\d+$/);
      assert.deepEqual(body, {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: phone,
        type: 'interactive',
        interactive: {
          type: 'button',
          header: { type: 'text', text: 'This week' },
          body: { text: 'New: cold brew. Want the menu?' },
          footer: { text: 'Tap one' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'menu', title: 'Show the menu' } },
              { type: 'reply', reply: { id: 'no', title: 'Not now' } },
            ],
          },
        },
      });
    }
  });

  it('validates like POST /whatsapp/, naming the field', async () => {
    const long = assertError(
      await sut.api.post('/status/', {
        interactive: { ...menu, buttons: [{ id: 'a', title: 'A title far longer than twenty' }] },
      }),
      400,
      'validation_error',
    );
    assert.equal(long.details?.[0].path, 'interactive.buttons.0.title');
    const both = assertError(
      await sut.api.post('/status/', { text: 'Hi', interactive: menu, template: { name: 'promo', language: 'en' } }),
      400,
      'validation_error',
    );
    assert.equal(both.details?.[0].path, 'interactive');
    const none = assertError(await sut.api.post('/status/', {}), 400, 'validation_error');
    assert.equal(none.details?.[0].path, 'text');
    assert.equal(sut.system.fake.requests.length, 0);
  });
});
