import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { assertError } from '../helpers/assert-error';
import { useSystem } from '../helpers/use-system';

describe('CSV import and export of contacts', () => {
  const sut = useSystem({ DEFAULT_PHONE_REGION: '' }, { worker: false });

  const upload = (csv: string | Buffer, query = '', contentType = 'text/csv') =>
    sut.api.request('POST', `/contacts/import/${query}`, { rawBody: csv, headers: { 'content-type': contentType } });
  const contacts = () =>
    sut.system
      .db('contacts')
      .orderBy('phone_number')
      .select('name', 'phone_number', 'email', 'tags', 'source', 'opted_out', 'group_id', 'updated_at');

  // BOM, semicolons, CRLF, a quoted name holding the separator, a quote and a line break.
  const SPREADSHEET =
    '\uFEFFName;Phone_Number;Email;Tags\r\n' +
    '"Müller; Anna";+49 151 1111 1111;anna@example.com;"VIP, Berlin"\r\n' +
    '"Ben ""the builder""";0151 2222 2222;;\r\n' +
    '"Carl\r\nSecond line";+4915133333333;carl@example.com;berlin\r\n';

  it('imports quoted fields, BOM, ; separators and CRLF; national numbers need a region; contacts are tagged and seated in groups', async () => {
    const response = await upload(SPREADSHEET, '?region=de&tag=Fair-2026');
    assert.equal(response.status, 201, JSON.stringify(response.body));
    assert.equal(response.headers.get('location'), `/contacts/import/${response.body.id}/`);
    assert.deepEqual(
      [
        response.body.status,
        response.body.rows_total,
        response.body.created,
        response.body.updated,
        response.body.unchanged,
        response.body.failed,
      ],
      ['completed', 3, 3, 0, 0, 0],
    );
    assert.match(response.body.file_sha256, /^[0-9a-f]{64}$/);
    const rows = await contacts();
    assert.deepEqual(
      rows.map((r: any) => [r.name, r.phone_number, r.email, r.tags, r.source, r.opted_out]),
      [
        ['Müller; Anna', '+4915111111111', 'anna@example.com', ['fair-2026', 'vip', 'berlin'], 'csv', false],
        ['Ben "the builder"', '+4915122222222', null, ['fair-2026'], 'csv', false],
        ['Carl\r\nSecond line', '+4915133333333', 'carl@example.com', ['fair-2026', 'berlin'], 'csv', false],
      ],
    );
    assert.ok(
      rows.every((r: any) => r.group_id !== null),
      'seated like every other new contact',
    );
    const fetched = await sut.api.get(`/contacts/import/${response.body.id}/`);
    assert.equal(fetched.status, 200);
    assert.equal(fetched.body.created, 3);
    assert.equal((await sut.api.get('/contacts/import/')).body.count, 1);
  });

  it('a second upload of the same file changes nothing', async () => {
    assert.equal((await upload(SPREADSHEET, '?region=DE')).status, 201);
    const before = await contacts();
    const again = await upload(SPREADSHEET, '?region=DE');
    assert.deepEqual([again.body.created, again.body.updated, again.body.unchanged], [0, 0, 3]);
    assert.deepEqual(await contacts(), before);
  });

  it('reports bad rows with row, column and reason, and imports the rest', async () => {
    const csv =
      'name,phone_number,email\nGood,+4915144444444,\nNo phone,,\nBad phone,12345,\nNational,015155555555,\nBad mail,+4915166666666,not-an-email\nTwice,+49 151 4444 4444,\n';
    const response = await upload(csv);
    assert.equal(response.status, 201, JSON.stringify(response.body));
    assert.deepEqual(
      [response.body.rows_total, response.body.created, response.body.failed, response.body.error_count],
      [6, 1, 5, 5],
    );
    assert.deepEqual(
      response.body.errors.map((e: any) => [e.row, e.column]),
      [
        [3, 'phone_number'],
        [4, 'phone_number'],
        [5, 'phone_number'],
        [6, 'email'],
        [7, 'phone_number'],
      ],
    );
    assert.match(response.body.errors[0].reason, /missing/);
    assert.match(response.body.errors[2].reason, /no region/);
    assert.match(response.body.errors[4].reason, /earlier row/);
  });

  it('upserts by phone: updates names, adds tags, never re-subscribes an opted-out number', async () => {
    const [existing] = await sut.system
      .db('contacts')
      .insert({
        name: 'Old name',
        phone_number: '+4915177777777',
        opted_out: true,
        opted_out_at: new Date(),
        tags: ['old'],
      })
      .returning('*');
    const response = await upload(
      'Full Name,Mobile,Labels\nNew name,+4915177777777,fresh\n',
      '?name_column=full%20name&phone_column=MOBILE&tags_column=labels',
    );
    assert.equal(response.status, 201, JSON.stringify(response.body));
    assert.deepEqual([response.body.created, response.body.updated], [0, 1]);
    const row = await sut.system.db('contacts').where({ id: existing.id }).first();
    assert.deepEqual([row.name, row.opted_out, row.tags, row.source], ['New name', true, ['old', 'fresh'], 'api']);
  });

  it('refuses bad CSV, a missing phone column, an empty body, other content types and bad options', async () => {
    const unclosed = await upload('name,phone_number\n"Anna,+4915111111111\n');
    assert.match(assertError(unclosed, 400, 'invalid_csv').message, /import \d+/);
    const failed = (await sut.api.get('/contacts/import/')).body.results[0];
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error.code, 'import_failed');
    assert.match(
      assertError(await upload('name,mobile\nA,+4915111111111\n'), 400, 'invalid_csv').message,
      /phone_number/,
    );
    assertError(await upload(''), 400, 'invalid_csv');
    assertError(await upload('{"name":"x"}', '', 'application/json'), 415, 'unsupported_media_type');
    assert.equal(
      assertError(await upload('phone_number\n+4915111111111\n', '?region=Germany'), 400, 'validation_error')
        .details?.[0].path,
      'region',
    );
    assertError(await upload('phone_number\n+4915111111111\n', '?colour=red'), 400, 'validation_error');
    assertError(await sut.api.get('/contacts/import/999999/'), 404, 'not_found');
    assert.equal(Number((await sut.system.db('contacts').count({ n: '*' }))[0].n), 0);
  });

  it('GET /contacts/?format=csv streams every contact the filters match, and reads back in unchanged', async () => {
    await upload(SPREADSHEET, '?region=DE');
    const response = await fetch(`${sut.system.baseUrl}/contacts/?format=csv&tag=berlin`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/csv/);
    const csv = await response.text();
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    assert.deepEqual(rows.map((r) => [r.name, r.phone_number, r.tags, r.opted_out]).sort(), [
      ['Carl\r\nSecond line', '+4915133333333', 'berlin', 'false'],
      ['Müller; Anna', '+4915111111111', 'vip,berlin', 'false'],
    ]);
    const back = await upload(csv);
    assert.deepEqual([back.body.created, back.body.updated, back.body.unchanged], [0, 0, 2], JSON.stringify(back.body));
  });

  it('streams 100,000 rows through in bounded memory', async function () {
    this.timeout(300_000);
    const lines = ['name,phone_number,tags'];
    for (let i = 0; i < 100_000; i++) lines.push(`Lead ${i},+4917${String(i).padStart(9, '0')},bulk`);
    const before = process.memoryUsage().rss;
    const response = await upload(lines.join('\n'));
    assert.equal(response.status, 201, JSON.stringify(response.body).slice(0, 500));
    assert.deepEqual([response.body.rows_total, response.body.created, response.body.failed], [100_000, 100_000, 0]);
    assert.equal(Number((await sut.system.db('contacts').count({ n: '*' }))[0].n), 100_000);
    const growthMb = (process.memoryUsage().rss - before) / 1024 / 1024;
    assert.ok(growthMb < 300, `RSS grew ${growthMb.toFixed(0)} MB`);
  });
});
