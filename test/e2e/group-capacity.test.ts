import assert from 'node:assert/strict';
import { apiClient, testPhone } from '../helpers/api-client';
import { groupCounts, insertContacts } from '../helpers/groups';
import { useSystem } from '../helpers/use-system';
import { upsertLeads } from '../../src/db/repositories/lead-contacts';

const PARALLEL = 20;

describe('the group cap under concurrency', () => {
  const sut = useSystem({}, { worker: false });

  it('20 parallel creators filling the last 5 seats never make a group of 251', async () => {
    await insertContacts(sut.system.db, 245);
    const created = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        sut.api.post('/contacts/', { name: `Racer ${i}`, phone_number: testPhone() }),
      ),
    );
    assert.deepEqual(
      created.map((r) => r.status),
      Array(PARALLEL).fill(201),
    );
    const counts = await groupCounts(sut.system.db);
    assert.deepEqual(
      counts.map((g) => [g.name, g.member_count, g.members]),
      [
        ['Contacts 1', 250, 250],
        ['Contacts 2', 15, 15],
      ],
    );
  });

  it('20 parallel creators in separate transactions (bulk importers) still respect the cap', async () => {
    await insertContacts(sut.system.db, 240);
    await Promise.all(
      Array.from({ length: PARALLEL }, () => sut.system.db.transaction((trx) => insertContacts(trx, 3, { batch: 3 }))),
    );
    const counts = await groupCounts(sut.system.db);
    assert.deepEqual(
      counts.map((g) => [g.member_count, g.members]),
      [
        [250, 250],
        [50, 50],
      ],
    );
  });

  it('5 WordPress page imports and 10 API creators racing for the last 10 seats: groups of 250 and exact counters', async () => {
    await insertContacts(sut.system.db, 240);
    const page = (p: number) =>
      Array.from({ length: 30 }, (_, i) => ({ phone: testPhone(), name: `Page ${p} lead ${i}` }));
    await Promise.all([
      ...Array.from({ length: 5 }, (_, p) =>
        sut.system.db.transaction((trx) =>
          upsertLeads(trx, 'wordpress', page(p), { taskQueue: sut.system.config.temporal.taskQueue }),
        ),
      ),
      ...Array.from({ length: 10 }, (_, i) =>
        sut.api.post('/contacts/', { name: `Racer ${i}`, phone_number: testPhone() }),
      ),
    ]);
    const counts = await groupCounts(sut.system.db);
    assert.deepEqual(
      counts.map((g) => [g.name, g.member_count, g.members]),
      [
        ['Contacts 1', 250, 250],
        ['Contacts 2', 150, 150],
      ],
    );
  });

  it('a multi-row insert into a group without room for all of it is refused whole; a multi-row delete frees every seat', async () => {
    const target = (await sut.api.post('/groups/', { name: 'Two seats', capacity: 2 })).body;
    const rows = [1, 2, 3].map((i) => ({ name: `Too many ${i}`, phone_number: testPhone(), group_id: target.id }));
    await assert.rejects(
      sut.system.db('contacts').insert(rows),
      (err: { constraint?: string }) => err.constraint === 'groups_capacity',
    );
    assert.equal(Number((await sut.system.db('contacts').count({ n: '*' }))[0].n), 0);
    await sut.system.db('contacts').insert(rows.slice(0, 2));
    await insertContacts(sut.system.db, 10);
    await sut.system.db('contacts').where('name', 'like', 'Lead %').orWhere('name', 'Too many 1').del();
    const counts = await groupCounts(sut.system.db);
    assert.deepEqual(
      counts.map((g) => [g.name, g.member_count, g.members]),
      [
        ['Two seats', 1, 1],
        ['Contacts 2', 0, 0],
      ],
    );
  });

  it('20 parallel moves into a group with 5 free seats: 5 succeed, 15 get 409, none overflow', async () => {
    const movers = await insertContacts(sut.system.db, PARALLEL);
    const target = (await sut.api.post('/groups/', { name: 'Last seats', capacity: 5 })).body;
    const answers = await Promise.all(movers.map((id) => sut.api.patch(`/contacts/${id}/`, { group_id: target.id })));
    const statuses = answers.map((r) => r.status).sort();
    assert.deepEqual(statuses, [...Array(5).fill(200), ...Array(15).fill(409)]);
    assert.ok(answers.filter((r) => r.status === 409).every((r) => r.body.error.code === 'group_full'));
    const counts = await groupCounts(sut.system.db);
    assert.deepEqual(
      counts.map((g) => [g.name, g.member_count, g.members]),
      [
        ['Contacts 1', 15, 15],
        ['Last seats', 5, 5],
      ],
    );
  });
});

describe('GROUP_CAPACITY', () => {
  const sut = useSystem({ GROUP_CAPACITY: '3' }, { worker: false });
  // Later test files expect the default again.
  after(() => sut.system.db('group_settings').update({ default_capacity: 250 }));

  it('sizes the groups Postgres creates and the groups POST /groups/ creates without a capacity', async () => {
    await insertContacts(sut.system.db, 7);
    assert.deepEqual(
      (await groupCounts(sut.system.db)).map((g) => [g.name, g.capacity, g.members]),
      [
        ['Contacts 1', 3, 3],
        ['Contacts 2', 3, 3],
        ['Contacts 3', 3, 1],
      ],
    );
    const created = await apiClient(sut.system.baseUrl).post('/groups/', { name: 'Default size' });
    assert.equal(created.body.capacity, 3);
  });
});
