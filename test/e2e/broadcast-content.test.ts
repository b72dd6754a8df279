import assert from 'node:assert/strict';
import { groupWithMembers, messageReaches } from '../helpers/broadcasts';
import { testPhone } from '../helpers/api-client';
import { useSystem } from '../helpers/use-system';

describe('message content: bounded, and stored once per broadcast', () => {
  const sut = useSystem();

  it('refuses template.components over 16 KB as JSON with a 400 naming the field', async () => {
    const big = [{ type: 'body', parameters: [{ type: 'text', text: 'x'.repeat(17 * 1024) }] }];
    const refused = await sut.api.post('/whatsapp/', {
      phone_number: testPhone(),
      template: { name: 'order_update', language: 'en', components: big },
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.details[0].path, 'template.components');
    assert.match(refused.body.error.details[0].message, /16 KB/);
    const fits = [{ type: 'body', parameters: [{ type: 'text', text: 'x'.repeat(1024) }] }];
    assert.equal(
      (
        await sut.api.post('/whatsapp/', {
          phone_number: testPhone(),
          template: { name: 'order_update', language: 'en', components: fits },
        })
      ).status,
      201,
    );
  });

  it("broadcast deliveries refer to the parent's content: no copy per child, yet every member gets it and the API shows it", async () => {
    const { group, optedIn } = await groupWithMembers(sut.system.db, sut.api, 3);
    const template = {
      name: 'spring_sale',
      language: 'en',
      components: [{ type: 'body', parameters: [{ type: 'text', text: 'Ana' }] }],
    };
    const created = await sut.api.post('/whatsapp/', { group_id: group.id, template });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await messageReaches(sut.api, created.body.id, 'sent');

    const children = await sut.system
      .db('messages')
      .where({ parent_id: created.body.id })
      .select('type', 'text', 'template', 'media');
    assert.equal(children.length, optedIn.length);
    for (const child of children)
      assert.deepEqual(child, { type: 'template', text: null, template: null, media: null });
    for (const phone of optedIn) {
      const [request] = sut.system.fake.messagesTo(phone);
      assert.equal(request.body.template.name, 'spring_sale');
      assert.deepEqual(request.body.template.components, template.components);
    }
    const listed = (await sut.api.get(`/whatsapp/?parent_id=${created.body.id}`)).body.results;
    assert.equal(listed.length, optedIn.length);
    for (const delivery of listed) assert.deepEqual(delivery.template, template);
    assert.deepEqual((await sut.api.get(`/whatsapp/${listed[0].id}/`)).body.template, template);
  });
});
