import assert from 'node:assert/strict';
import { testPhone } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { useSystem } from '../helpers/use-system';

describe('tags and segments API', () => {
  const sut = useSystem({}, { worker: false });

  const contact = async (name: string, extra: Record<string, unknown> = {}) => {
    const response = await sut.api.post('/contacts/', { name, phone_number: testPhone(), ...extra });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  };
  const names = (body: { results: { name: string }[] }) => body.results.map((c) => c.name).sort();

  it('normalises tags on create and update, and filters GET /contacts/ by one or several', async () => {
    const anna = await contact('Anna', { tags: [' VIP', 'Berlin', 'vip'] });
    assert.deepEqual(anna.tags, ['vip', 'berlin']);
    await contact('Ben', { tags: ['berlin'] });
    const carl = await contact('Carl');
    assert.deepEqual(carl.tags, []);
    const patched = await sut.api.patch(`/contacts/${carl.id}/`, { tags: ['VIP', 'Spring  Sale'] });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.tags, ['vip', 'spring sale']);

    assert.deepEqual(names((await sut.api.get('/contacts/?tag=VIP')).body), ['Anna', 'Carl']);
    assert.deepEqual(names((await sut.api.get('/contacts/?tag=vip&tag=berlin')).body), ['Anna']);
    const unknown = await sut.api.get('/contacts/?tag=nobody-has-this');
    assert.equal(unknown.status, 200);
    assert.deepEqual(unknown.body.results, []);
    assert.deepEqual((await sut.api.get(`/contacts/${anna.id}/`)).body.tags, ['vip', 'berlin']);
    assert.deepEqual((await sut.system.db('contacts').where({ id: anna.id }).first()).tags, ['vip', 'berlin']);
  });

  it('refuses bad tags with a 400 naming the field, and writes nothing', async () => {
    assertError(
      await sut.api.post('/contacts/', { name: 'X', phone_number: testPhone(), tags: ['#nope'] }),
      400,
      'validation_error',
    );
    const tooMany = await sut.api.post('/contacts/', {
      name: 'X',
      phone_number: testPhone(),
      tags: Array.from({ length: 51 }, (_, i) => `t${i}`),
    });
    assert.equal(assertError(tooMany, 400, 'validation_error').details?.[0].path, 'tags');
    const long = await sut.api.post('/contacts/', { name: 'X', phone_number: testPhone(), tags: ['x'.repeat(65)] });
    assert.equal(assertError(long, 400, 'validation_error').details?.[0].path, 'tags.0');
    assertError(
      await sut.api.post('/contacts/', { name: 'X', phone_number: testPhone(), tags: 'vip' }),
      400,
      'validation_error',
    );
    assertError(await sut.api.get('/contacts/?tag=%23bad'), 400, 'validation_error');
    assert.equal(Number((await sut.system.db('contacts').count({ n: '*' }))[0].n), 0);
  });

  it('GET /tags/ counts contacts per tag, most used first, with a prefix filter', async () => {
    await contact('A', { tags: ['vip', 'berlin'] });
    await contact('B', { tags: ['berlin'] });
    await contact('C', { tags: ['berlin', 'bonn'] });
    const all = await sut.api.get('/tags/');
    assert.equal(all.status, 200);
    assert.deepEqual(all.body, {
      count: 3,
      next: null,
      previous: null,
      results: [
        { tag: 'berlin', count: 3 },
        { tag: 'bonn', count: 1 },
        { tag: 'vip', count: 1 },
      ],
    });
    assert.deepEqual((await sut.api.get('/tags/?prefix=B&page_size=1')).body.results, [{ tag: 'berlin', count: 3 }]);
    assert.equal((await sut.api.get('/tags/?prefix=b&page_size=1')).body.count, 2);
  });

  it('a segment saves a filter and pages its members as they are now', async () => {
    const anna = await contact('Anna', { tags: ['vip', 'berlin'] });
    await contact('Ben', { tags: ['berlin'] });
    await contact('Carl', { tags: ['vip'], opted_out: true });
    const created = await sut.api.post('/segments/', { name: 'Berlin VIPs', filter: { tags: ['VIP', 'berlin'] } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.filter, { match: 'all', tags: ['vip', 'berlin'] });
    assert.equal(created.body.member_count, 1);
    const members = await sut.api.get(`/segments/${created.body.id}/contacts/`);
    assert.deepEqual(
      members.body.results.map((c: { id: number }) => c.id),
      [anna.id],
    );

    const any = await sut.api.post('/segments/', {
      name: 'Any VIP or Berlin, opted in',
      filter: { match: 'any', tags: ['vip', 'berlin'] },
    });
    assert.equal(any.body.member_count, 3);
    const patched = await sut.api.patch(`/segments/${any.body.id}/`, {
      filter: { match: 'all', tags: ['vip'], opted_in: true },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.member_count, 1);
    assert.equal(patched.body.name, 'Any VIP or Berlin, opted in');

    await contact('Dora', { tags: ['vip'] });
    assert.deepEqual(
      names((await sut.api.get(`/segments/${any.body.id}/contacts/`)).body),
      ['Anna', 'Dora'],
      'evaluated when asked',
    );
    const list = await sut.api.get('/segments/');
    assert.equal(list.body.count, 2);
    assert.deepEqual(list.body.results.map((s: { member_count: number }) => s.member_count).sort(), [1, 2]);
    assert.equal((await sut.api.get(`/segments/${created.body.id}/`)).body.name, 'Berlin VIPs');
  });

  it('filters by source, group, creation time, service window and last inbound', async () => {
    const group = (await sut.api.post('/groups/', { name: 'G', capacity: 1 })).body;
    const api = await contact('Api', { group_id: group.id });
    const [wp] = await sut.system
      .db('contacts')
      .insert({ name: 'Wp', phone_number: testPhone(), source: 'wordpress', created_at: '2026-01-01T00:00:00Z' })
      .returning('*');
    const inbound = (contactId: number, at: Date) =>
      sut.system.db('messages').insert({
        direction: 'inbound',
        contact_id: contactId,
        phone_number: '+4915100000000',
        type: 'text',
        text: 'hi',
        status: 'received',
        created_at: at,
      });
    await inbound(api.id, new Date(Date.now() - 60 * 60_000));
    await inbound(wp.id, new Date('2026-02-01T00:00:00Z'));
    const members = async (filter: unknown) => {
      const created = await sut.api.post('/segments/', { name: `s ${Math.random()}`, filter });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return names((await sut.api.get(`/segments/${created.body.id}/contacts/`)).body);
    };
    assert.deepEqual(await members({ sources: ['wordpress'] }), ['Wp']);
    assert.deepEqual(await members({ group_ids: [group.id] }), ['Api']);
    assert.deepEqual(await members({ created: { before: '2026-06-01T00:00:00Z' } }), ['Wp']);
    assert.deepEqual(await members({ service_window_open: true }), ['Api']);
    assert.deepEqual(await members({ service_window_open: false }), ['Wp']);
    assert.deepEqual(
      await members({ last_inbound: { after: '2026-01-15T00:00:00Z', before: '2026-03-01T00:00:00Z' } }),
      ['Wp'],
    );
    assert.deepEqual(await members({ match: 'any', sources: ['wordpress'], group_ids: [group.id] }), ['Api', 'Wp']);
    assert.deepEqual(
      await members({ match: 'all', sources: ['wordpress'], group_ids: [group.id] }),
      [],
      'a segment with no match is an empty page',
    );
  });

  it('refuses bad segments, duplicate names and unknown ids', async () => {
    const empty = await sut.api.post('/segments/', { name: 'x', filter: {} });
    assert.equal(assertError(empty, 400, 'validation_error').details?.[0].path, 'filter');
    assertError(await sut.api.post('/segments/', { name: 'x', filter: { colour: 'red' } }), 400, 'validation_error');
    assertError(await sut.api.post('/segments/', { name: 'x', filter: { tags: ['#x'] } }), 400, 'validation_error');
    assertError(
      await sut.api.post('/segments/', {
        name: 'x',
        filter: { created: { after: '2026-02-01T00:00:00Z', before: '2026-01-01T00:00:00Z' } },
      }),
      400,
      'validation_error',
    );
    assertError(await sut.api.post('/segments/', { name: '', filter: { tags: ['a'] } }), 400, 'validation_error');
    assert.equal((await sut.api.post('/segments/', { name: 'dup', filter: { tags: ['a'] } })).status, 201);
    assertError(
      await sut.api.post('/segments/', { name: 'dup', filter: { tags: ['b'] } }),
      409,
      'duplicate_segment_name',
    );
    assertError(await sut.api.get('/segments/999999/'), 404, 'not_found');
    assertError(await sut.api.get('/segments/abc/contacts/'), 404, 'not_found');
    assertError(await sut.api.patch('/segments/999999/', { name: 'y' }), 404, 'not_found');
    assertError(await sut.api.delete('/segments/999999/'), 404, 'not_found');
    assert.equal(Number((await sut.system.db('segments').count({ n: '*' }))[0].n), 1);
  });

  it('POST /segments/ honours Idempotency-Key: a repeat replays the first answer and saves one segment', async () => {
    const body = { name: 'once', filter: { tags: ['a'] } };
    const first = await sut.api.post('/segments/', body, { headers: { 'Idempotency-Key': 'seg-1' } });
    const again = await sut.api.post('/segments/', body, { headers: { 'Idempotency-Key': 'seg-1' } });
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.body.id, first.body.id);
    assert.equal(Number((await sut.system.db('segments').count({ n: '*' }))[0].n), 1);
  });

  it('DELETE removes a segment', async () => {
    const created = await sut.api.post('/segments/', { name: 'gone', filter: { tags: ['a'] } });
    assert.equal((await sut.api.delete(`/segments/${created.body.id}/`)).status, 204);
    assertError(await sut.api.get(`/segments/${created.body.id}/`), 404, 'not_found');
  });
});
