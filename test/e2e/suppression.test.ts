import assert from 'node:assert/strict';
import { inboundText } from '../fakes/webhook-bodies';
import { testPhone } from '../helpers/api-client';
import { waitForStatus } from '../helpers/messages';
import { eventually } from '../helpers/poll';
import { useSystem } from '../helpers/use-system';
import { postWebhook } from '../helpers/webhooks';
import { upsertLeads } from '../../src/db/repositories/lead-contacts';
import * as optOutsMigration from '../../src/db/migrations/20261202110000_opt_outs';

describe('the suppression list: opt-outs outlive contacts', () => {
  const sut = useSystem();

  const write = async (phone: string, text: string) => {
    const { body } = inboundText(text, { from: phone, name: 'Sam' });
    assert.equal((await postWebhook(sut.api, body)).status, 200);
  };
  const contactOf = async (phone: string) =>
    (await sut.api.get(`/contacts/?search=${encodeURIComponent(phone)}`)).body.results[0];
  const listed = async () =>
    (await sut.api.get('/opt-outs/')).body.results.map((o: { phone_number: string }) => o.phone_number);
  const stop = async (phone: string) => {
    await write(phone, 'STOP');
    await eventually(() => sut.system.fake.messagesTo(phone).length === 1, { what: 'the opt-out confirmation' });
  };

  it('STOP lists the number; deleting and re-creating the contact (API or WordPress) never re-subscribes it', async () => {
    const phone = testPhone();
    await stop(phone);
    const page = (await sut.api.get('/opt-outs/')).body;
    assert.equal(page.count, 1);
    assert.equal(page.results[0].phone_number, phone);
    assert.equal(page.results[0].source, 'whatsapp');
    assert.equal((await sut.api.get(`/opt-outs/${encodeURIComponent(phone)}/`)).status, 200);

    const contact = await contactOf(phone);
    assert.equal((await sut.api.delete(`/contacts/${contact.id}/`)).status, 204);
    // No contact at all: a send by number is still refused at send time.
    const byNumber = await sut.api.post('/whatsapp/', { phone_number: phone, message: 'We miss you' });
    assert.equal((await waitForStatus(sut.api, byNumber.body.id, 'failed')).error.code, 'opted_out');

    const again = await sut.api.post('/contacts/', { name: 'Sam again', phone_number: phone, opted_out: false });
    assert.equal(again.status, 201, JSON.stringify(again.body));
    assert.equal(again.body.opted_out, true);
    assert.ok(again.body.opted_out_at);
    const patched = await sut.api.patch(`/contacts/${again.body.id}/`, { opted_out: false });
    assert.equal(patched.body.opted_out, true, 'only START or DELETE /opt-outs/ re-subscribes');

    const direct = await sut.api.post('/whatsapp/', { contact_id: again.body.id, message: 'Sale!' });
    assert.equal((await waitForStatus(sut.api, direct.body.id, 'failed')).error.code, 'opted_out');
    const other = await sut.api.post('/contacts/', {
      name: 'Other',
      phone_number: testPhone(),
      group_id: again.body.group_id,
    });
    const broadcast = await sut.api.post('/whatsapp/', { group_id: again.body.group_id, message: 'News' });
    await eventually(() => sut.system.fake.messagesTo(other.body.phone_number).length === 1, {
      what: 'the broadcast to the other member',
    });
    const parent = await waitForStatus(sut.api, broadcast.body.id, 'sent');
    assert.equal(parent.recipient_count, 1);

    await sut.api.delete(`/contacts/${again.body.id}/`);
    await sut.system.db.transaction((trx) =>
      upsertLeads(trx, 'wordpress', [{ phone, name: 'Sam from WordPress' } as never], {
        taskQueue: sut.system.config.temporal.taskQueue,
      }),
    );
    assert.equal((await contactOf(phone)).opted_out, true);
    assert.deepEqual(await listed(), [phone]);
    assert.equal(sut.system.fake.messagesTo(phone).length, 1, 'only the STOP confirmation ever reached them');
  });

  it('START from the person takes the number off the list', async () => {
    const phone = testPhone();
    await stop(phone);
    await write(phone, 'START');
    await eventually(() => sut.system.fake.messagesTo(phone).length === 2, { what: 'the opt-in confirmation' });
    assert.deepEqual(await listed(), []);
    assert.equal((await contactOf(phone)).opted_out, false);
  });

  it('an explicit API call removes an entry only with a reason, and says what it removed', async () => {
    const phone = testPhone();
    await stop(phone);
    const path = `/opt-outs/${encodeURIComponent(phone)}/`;
    const noReason = await sut.api.delete(path);
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error.details[0].path, 'reason');
    assert.equal(
      (await sut.api.delete(`/opt-outs/${encodeURIComponent(testPhone())}/?reason=asked%20by%20phone`)).status,
      404,
    );

    const removed = await sut.api.delete(`${path}?reason=${encodeURIComponent('customer asked by phone, ticket 81')}`);
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.equal(removed.body.phone_number, phone);
    assert.equal(removed.body.reason, 'customer asked by phone, ticket 81');
    assert.deepEqual(await listed(), []);
    assert.equal((await contactOf(phone)).opted_out, false);
    const welcome = await sut.api.post('/whatsapp/', { phone_number: phone, message: 'Welcome back' });
    await waitForStatus(sut.api, welcome.body.id, 'sent');
  });

  it('the migration lists the contacts that had opted out before the list existed', async () => {
    const phone = testPhone();
    const rolledBack = new Error('rolled back on purpose: the test leaves the schema as it was');
    const attempt = sut.system.db.transaction(async (trx) => {
      await optOutsMigration.down(trx);
      await trx('contacts').insert({
        name: 'Old',
        phone_number: phone,
        opted_out: true,
        opted_out_at: new Date('2026-01-01T00:00:00Z'),
      });
      await trx('contacts').insert({ name: 'Still in', phone_number: testPhone() });
      await optOutsMigration.up(trx);
      const rows = await trx('opt_outs').select('phone_number', 'source', 'created_at');
      assert.deepEqual(
        rows.map((r) => [r.phone_number, r.source, r.created_at.toISOString()]),
        [[phone, 'migration', '2026-01-01T00:00:00.000Z']],
      );
      throw rolledBack;
    });
    await assert.rejects(attempt, (err) => err === rolledBack);
  });
});
