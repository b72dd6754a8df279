import assert from 'node:assert/strict';
import { extractEvents } from '../../src/api/webhooks/events';
import { webhookBodySchema } from '../../src/api/webhooks/schemas';
import { BUSINESS_NUMBER, buttonMessage, sender, statusEvent, textMessage, webhookBody } from '../fakes/webhook-bodies';

const parse = (body: unknown) => extractEvents(webhookBodySchema.parse(body));

describe('reading a webhook body into events', () => {
  it('finds the words in text, button, interactive and caption messages, and the sender profile', () => {
    const interactive = {
      ...textMessage('', { from: '+4915112345678' }),
      type: 'interactive',
      text: undefined,
      interactive: { type: 'list_reply', list_reply: { id: 'a', title: 'Opening hours' } },
    };
    const image = {
      ...textMessage('', { from: '+4915112345678' }),
      type: 'image',
      text: undefined,
      image: { id: 'media1', caption: 'my receipt' },
    };
    const events = parse(
      webhookBody({
        contacts: [sender({ from: '+4915112345678', name: 'Ana' })],
        messages: [
          textMessage('hello', { from: '+4915112345678' }),
          buttonMessage('Yes please', { from: '+4915112345678' }),
          interactive,
          image,
        ],
      }),
    );
    assert.deepEqual(
      events.messages.map((m) => m.text),
      ['hello', 'Yes please', 'Opening hours', 'my receipt'],
    );
    assert.ok(
      events.messages.every(
        (m) =>
          m.profileName === 'Ana' &&
          m.fromWaId === '4915112345678' &&
          m.businessNumber === BUSINESS_NUMBER &&
          m.field === 'messages',
      ),
    );
  });

  it('keeps a username-only sender by user id and accepts numeric timestamps', () => {
    const message = { ...textMessage('hi', { userId: 'BR.1' }), timestamp: 1795784945 };
    const [event] = parse(
      webhookBody({ contacts: [sender({ userId: 'BR.1', name: 'U' })], messages: [message] }),
    ).messages;
    assert.deepEqual(
      [event.fromWaId, event.fromUserId, event.profileName, event.timestamp],
      [undefined, 'BR.1', 'U', '1795784945'],
    );
  });

  it('maps played to read, carries the error code, and sets aside statuses it does not know', () => {
    const events = parse(
      webhookBody({
        statuses: [
          statusEvent({ wamid: 'w1', status: 'played' }),
          statusEvent({ wamid: 'w2', status: 'failed', errorCode: 131047, callbackData: 12 }),
          { ...statusEvent({ wamid: 'w3', status: 'sent' }), status: 'deleted' },
        ],
      }),
    );
    assert.deepEqual(
      events.statuses.map((s) => [s.wamid, s.status, s.error?.code, s.callbackData]),
      [
        ['w1', 'read', undefined, undefined],
        ['w2', 'failed', '131047', '12'],
      ],
    );
    assert.deepEqual(events.ignored, { unknownStatuses: 1, errors: 0 });
    assert.doesNotMatch(
      JSON.stringify(events),
      /deleted/,
      'ignored entries are counted, their content is not kept (nor logged)',
    );
  });

  it('refuses bodies that are not WhatsApp webhooks', () => {
    for (const body of [
      {},
      { object: 'page', entry: [] },
      { object: 'whatsapp_business_account', entry: [] },
      webhookBody({ messages: [{ type: 'text' }] }),
    ]) {
      assert.equal(webhookBodySchema.safeParse(body).success, false, JSON.stringify(body));
    }
  });
});
