import assert from 'node:assert/strict';
import { testPhone } from '../helpers/api-client';
import { assertError } from '../helpers/assert-error';
import { useSystem } from '../helpers/use-system';

const pageOf = (link: string | null) => (link ? new URL(link).searchParams.get('page') : null);

describe('contacts API: paging and search', () => {
  const sut = useSystem({}, { worker: false });

  /** Creates contacts one after another through the API, so each is newer than the last. */
  const createInOrder = async (names: string[], phones: string[] = []) => {
    const ids: number[] = [];
    for (const [i, name] of names.entries()) {
      const response = await sut.api.post('/contacts/', { name, phone_number: phones[i] ?? testPhone() });
      assert.equal(response.status, 201, JSON.stringify(response.body));
      ids.push(response.body.id);
    }
    return ids;
  };

  /** Many rows at once for size limits; ids break the created_at tie, newest (highest id) first. */
  const insertMany = (n: number) =>
    sut.system.db('contacts').insert(
      Array.from({ length: n }, (_, i) => ({
        name: `bulk ${i}`,
        phone_number: `+4917000${String(i).padStart(5, '0')}`,
      })),
    );

  it('pages newest first with absolute next/previous links that keep the other query parameters', async () => {
    const ids = await createInOrder(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    const newestFirst = [...ids].reverse();

    const first = await sut.api.get('/contacts/?page_size=3');
    assert.equal(first.status, 200);
    assert.deepEqual(Object.keys(first.body), ['count', 'next', 'previous', 'results']);
    assert.equal(first.body.count, 7);
    assert.deepEqual(
      first.body.results.map((c: { id: number }) => c.id),
      newestFirst.slice(0, 3),
    );
    assert.equal(first.body.previous, null);
    const next = new URL(first.body.next);
    assert.equal(next.origin, sut.system.baseUrl);
    assert.equal(next.pathname, '/contacts/');
    assert.equal(next.searchParams.get('page'), '2');
    assert.equal(next.searchParams.get('page_size'), '3');

    const second = await sut.api.get(`${next.pathname}${next.search}`);
    assert.deepEqual(
      second.body.results.map((c: { id: number }) => c.id),
      newestFirst.slice(3, 6),
    );
    assert.equal(pageOf(second.body.previous), '1');
    assert.equal(pageOf(second.body.next), '3');

    const last = await sut.api.get('/contacts?page=3&page_size=3');
    assert.deepEqual(
      last.body.results.map((c: { id: number }) => c.id),
      newestFirst.slice(6),
    );
    assert.equal(last.body.next, null);
    assert.equal(pageOf(last.body.previous), '2');
  });

  it('an empty list is a page too', async () => {
    assert.deepEqual((await sut.api.get('/contacts/')).body, { count: 0, next: null, previous: null, results: [] });
  });

  it('pages hold 50 by default and up to 500 on request; 501 is a 400 naming page_size', async () => {
    await insertMany(501);
    const byDefault = await sut.api.get('/contacts/');
    assert.equal(byDefault.body.count, 501);
    assert.equal(byDefault.body.results.length, 50);
    assert.equal(byDefault.body.results[0].name, 'bulk 500');
    assert.equal(pageOf(byDefault.body.next), '2');

    const largest = await sut.api.get('/contacts/?page_size=500');
    assert.equal(largest.status, 200);
    assert.equal(largest.body.results.length, 500);
    assert.equal(pageOf(largest.body.next), '2');

    const tooLarge = assertError(await sut.api.get('/contacts/?page_size=501'), 400, 'validation_error');
    assert.deepEqual(
      tooLarge.details?.map((d) => d.path),
      ['page_size'],
    );
  });

  for (const query of [
    'page=0',
    'page=-1',
    'page=abc',
    'page=1.5',
    'page_size=0',
    'page_size=x',
    'page=99999999999999999999',
  ]) {
    it(`refuses ?${query} with a 400 naming the parameter`, async () => {
      const error = assertError(await sut.api.get(`/contacts/?${query}`), 400, 'validation_error');
      assert.deepEqual([...new Set(error.details?.map((d) => d.path))], [query.split('=')[0]]);
    });
  }

  it('refuses a repeated page parameter with a 400 instead of guessing', async () => {
    const repeated = assertError(await sut.api.get('/contacts/?page=1&page=2'), 400, 'validation_error');
    assert.deepEqual(
      repeated.details?.map((d) => d.path),
      ['page'],
    );
  });

  it('?search= matches part of the name, case-insensitively, and part of the phone number', async () => {
    const [ada, grace] = await createInOrder(
      ['Ada Lovelace', 'Grace Hopper', 'Alan Turing'],
      ['+4915111111111', '+4915122222222', '+447911123456'],
    );
    const search = async (term: string) => {
      const response = await sut.api.get(`/contacts/?search=${encodeURIComponent(term)}`);
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.equal(response.body.count, response.body.results.length);
      return response.body.results.map((c: { id: number }) => c.id);
    };
    assert.deepEqual(await search('lovelace'), [ada]);
    assert.deepEqual(await search('HOP'), [grace]);
    assert.deepEqual(await search('22222'), [grace]);
    assert.deepEqual(await search('+49151'), [grace, ada]);
    assert.deepEqual(await search('+49 (151) 2222-2'), [grace], 'the spacing people type around numbers is ignored');
    assert.deepEqual(await search('nobody'), []);
    assert.deepEqual(await search(' - '), [], 'spacing alone matches no phone number');
    assert.equal((await search('')).length, 3, 'an empty search filters nothing');
  });

  it('treats % and _ in ?search= as literal characters, not wildcards', async () => {
    const [percent, underscore] = await createInOrder(['100% organic', 'snake_case', 'plain name']);
    const search = async (term: string) =>
      (await sut.api.get(`/contacts/?search=${encodeURIComponent(term)}`)).body.results.map(
        (c: { id: number }) => c.id,
      );
    assert.deepEqual(await search('%'), [percent]);
    assert.deepEqual(await search('_'), [underscore]);
    assert.deepEqual(await search('0%'), [percent]);
    assert.deepEqual(await search('\\'), []);
  });

  it('paging links keep the search term', async () => {
    await createInOrder(['match 1', 'match 2', 'other']);
    const first = await sut.api.get('/contacts/?search=match&page_size=1');
    assert.equal(first.body.count, 2);
    assert.equal(new URL(first.body.next).searchParams.get('search'), 'match');
  });
});
