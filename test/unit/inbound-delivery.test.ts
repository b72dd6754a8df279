import assert from 'node:assert/strict';
import type { Message } from '../../src/db/repositories/messages';
import { deliveryChange } from '../../src/inbound/delivery';
import type { StatusEvent } from '../../workflows/inbound-definitions';

const message = (fields: Partial<Message>) =>
  ({
    id: 7,
    direction: 'outbound',
    status: 'sent',
    provider_message_id: 'wamid.A',
    sent_at: null,
    delivered_at: null,
    read_at: null,
    failed_at: null,
    ...fields,
  }) as Message;
const event = (status: StatusEvent['status'], seconds: number, extra: Partial<StatusEvent> = {}): StatusEvent => ({
  wamid: 'wamid.A',
  status,
  timestamp: String(seconds),
  ...extra,
});

/** Applies events in order to an in-memory row, as the activity does under the row lock. */
function apply(start: Message, events: StatusEvent[]): Message {
  return events.reduce((row, e) => ({ ...row, ...(deliveryChange(row, e) ?? {}) }) as Message, start);
}

describe('delivery status transitions', () => {
  const events = [event('sent', 100), event('delivered', 200), event('read', 300)];
  const orders = [
    [0, 1, 2],
    [0, 2, 1],
    [1, 0, 2],
    [1, 2, 0],
    [2, 0, 1],
    [2, 1, 0],
  ];

  it('end at read with each earliest time, in every order', () => {
    for (const order of orders) {
      const row = apply(
        message({ status: 'sending', provider_message_id: null }),
        order.map((i) => events[i]),
      );
      assert.equal(row.status, 'read', order.join());
      assert.deepEqual(
        [row.sent_at, row.delivered_at, row.read_at].map((d) => (d as Date).getTime() / 1000),
        [100, 200, 300],
        order.join(),
      );
      assert.equal(row.provider_message_id, 'wamid.A');
    }
  });

  it('record a failure with its explanation, which a later delivered overrides but a late sent does not', () => {
    const failed = apply(message({}), [event('failed', 100, { error: { code: '131047' } })]);
    assert.equal(failed.status, 'failed');
    assert.match(String(failed.error_message), /outside the 24-hour window.*send an approved template/);
    assert.equal(apply(failed, [event('sent', 90)]).status, 'failed');
    const delivered = apply(failed, [event('delivered', 110)]);
    assert.equal(delivered.status, 'delivered');
    assert.equal(delivered.error_code, null);
    assert.equal(apply(delivered, [event('failed', 120, { error: { code: '131026' } })]).status, 'delivered');
  });

  it('change nothing on a cancelled or inbound message, or when nothing is new', () => {
    assert.equal(deliveryChange(message({ status: 'cancelled' }), event('delivered', 1)), undefined);
    assert.equal(deliveryChange(message({ direction: 'inbound', status: 'received' }), event('read', 1)), undefined);
    const read = apply(message({}), [event('read', 50)]);
    assert.equal(deliveryChange(read, event('read', 60)), undefined);
  });
});
