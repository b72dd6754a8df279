import assert from 'node:assert/strict';
import { rebalanceGroups } from '../../src/services/groups';
import { testPhone } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { groupCounts, insertContacts } from '../helpers/groups';
import { useSystem } from '../helpers/use-system';

describe('groups of 250', () => {
  const sut = useSystem({}, { worker: false });

  it('seats 600 new contacts as 250/250/100 in "Contacts 1..3", oldest group first', async () => {
    await insertContacts(sut.system.db, 590);
    for (let i = 0; i < 10; i++)
      assert.equal((await sut.api.post('/contacts/', { name: `API ${i}`, phone_number: testPhone() })).status, 201);

    const page = await sut.api.get('/groups/?page_size=10');
    assert.equal(page.status, 200);
    assert.equal(page.body.count, 3);
    const groups = [...page.body.results].reverse();
    assert.deepEqual(
      groups.map((g: any) => [g.name, g.capacity, g.member_count]),
      [
        ['Contacts 1', 250, 250],
        ['Contacts 2', 250, 250],
        ['Contacts 3', 250, 100],
      ],
    );
    assert.deepEqual(
      (await groupCounts(sut.system.db)).map((g) => g.members),
      [250, 250, 100],
    );

    const members = await sut.api.get(`/groups/${groups[2].id}/contacts?page_size=500`);
    assert.equal(members.body.count, 100);
    assert.ok(members.body.results.every((c: any) => c.group_id === groups[2].id));
    assert.equal((await sut.api.get(`/groups/${groups[0].id}`)).body.member_count, 250);
  });

  it('frees a seat when a contact is deleted, and the next contact takes it', async () => {
    const [first] = await insertContacts(sut.system.db, 251);
    assert.deepEqual(
      (await groupCounts(sut.system.db)).map((g) => g.members),
      [250, 1],
    );
    assert.equal((await sut.api.delete(`/contacts/${first}/`)).status, 204);
    assert.deepEqual(
      (await groupCounts(sut.system.db)).map((g) => g.member_count),
      [249, 1],
    );
    const created = await sut.api.post('/contacts/', { name: 'Late', phone_number: testPhone() });
    assert.equal(created.body.group_id, (await sut.api.get('/groups/?page_size=5')).body.results[1].id);
    assert.deepEqual(
      (await groupCounts(sut.system.db)).map((g) => g.member_count),
      [250, 1],
    );
  });

  it('creates a group with the default capacity, refuses a duplicate name and bad capacities', async () => {
    const created = await sut.api.post('/groups/', { name: 'VIP' });
    assert.equal(created.status, 201);
    assert.deepEqual(
      { ...created.body, id: 0, created_at: '', updated_at: '' },
      { id: 0, name: 'VIP', capacity: 250, member_count: 0, created_at: '', updated_at: '' },
    );
    assertError(await sut.api.post('/groups', { name: 'VIP' }), 409, 'duplicate_group_name');
    assertError(await sut.api.post('/groups/', { name: 'Zero', capacity: 0 }), 400, 'validation_error');
    assertError(await sut.api.post('/groups/', { capacity: 5 }), 400, 'validation_error');
    assertError(await sut.api.get('/groups/999999/'), 404, 'not_found');
  });

  it('deletes only an empty group; one with members answers 409 naming how many', async () => {
    await insertContacts(sut.system.db, 3);
    const [full] = (await sut.api.get('/groups/')).body.results;
    const busy = assertError(await sut.api.delete(`/groups/${full.id}/`), 409, 'group_not_empty');
    assert.match(busy.message, /3 members/);

    const empty = await sut.api.post('/groups/', { name: 'Empty' });
    assert.equal((await sut.api.delete(`/groups/${empty.body.id}`)).status, 204);
    assertError(await sut.api.get(`/groups/${empty.body.id}/`), 404, 'not_found');
    assertError(await sut.api.delete(`/groups/${empty.body.id}/`), 404, 'not_found');
  });

  it('moves a contact to another group within capacity, and answers 409 when that group is full', async () => {
    const [a, b] = await insertContacts(sut.system.db, 2);
    const small = (await sut.api.post('/groups/', { name: 'Small', capacity: 1 })).body;
    const moved = await sut.api.patch(`/contacts/${a}/`, { group_id: small.id });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.group_id, small.id);
    assert.match(
      assertError(await sut.api.patch(`/contacts/${b}`, { group_id: small.id }), 409, 'group_full').message,
      /full/,
    );
    assertError(await sut.api.patch(`/contacts/${b}`, { group_id: 987654 }), 400, 'validation_error');
    assert.deepEqual(
      (await groupCounts(sut.system.db)).map((g) => [g.name, g.member_count, g.members]),
      [
        ['Contacts 1', 1, 1],
        ['Small', 1, 1],
      ],
    );
  });

  it('rebalances: ungrouped contacts get seats, a lowered capacity moves only the newest overflow', async () => {
    const ids = await insertContacts(sut.system.db, 10);
    const [group] = (await sut.api.get('/groups/')).body.results;
    const lowered = await sut.api.patch(`/groups/${group.id}/`, { capacity: 6 });
    assert.equal(lowered.status, 200);
    assert.equal(lowered.body.member_count, 6);
    const members = (await sut.api.get(`/groups/${group.id}/contacts/?page_size=50`)).body.results
      .map((c: any) => c.id)
      .sort((x: number, y: number) => x - y);
    assert.deepEqual(members, ids.slice(0, 6), 'the oldest members stay');

    await sut.system.db('contacts').whereIn('id', ids.slice(0, 2)).update({ group_id: null });
    assert.equal(await rebalanceGroups(sut.system.db), 2);
    assert.equal(await rebalanceGroups(sut.system.db), 0, 'nothing moves twice');
    const counts = await groupCounts(sut.system.db);
    assert.deepEqual(
      counts.map((g) => [g.capacity, g.member_count, g.members]),
      [
        [6, 6, 6],
        [250, 4, 4],
      ],
    );
  });
});
