import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { Knex } from 'knex';
import type { Context } from 'koa';

const BATCH = 1_000;

/**
 * Every row of `query`, read in id order a thousand at a time (keyset paging), so an
 * export of any size holds one batch in memory and no long-running cursor.
 */
export async function* rowsById<Row extends { id: number | string }>(
  query: Knex.QueryBuilder,
  idColumn = 'id',
): AsyncGenerator<Row> {
  let afterId = 0;
  for (;;) {
    const rows = (await query
      .clone()
      .clearOrder()
      .where(idColumn, '>', afterId)
      .orderBy(idColumn)
      .limit(BATCH)) as Row[];
    for (const row of rows) yield row;
    if (rows.length < BATCH) return;
    afterId = Number(rows[rows.length - 1].id);
  }
}

export type CsvColumns<Row> = Record<string, (row: Row) => string | number | boolean | null | undefined>;

/**
 * Answers with a CSV stream (header row first, RFC 4180 quoting by csv-stringify).
 * The first batch is read before the status is sent, so a database outage still
 * becomes a JSON 503 rather than a truncated 200.
 */
export async function sendCsv<Row>(
  ctx: Context,
  filename: string,
  columns: CsvColumns<Row>,
  rows: AsyncGenerator<Row>,
): Promise<void> {
  const first = await rows.next();
  const names = Object.keys(columns);
  const records = async function* () {
    if (first.done) return;
    yield first.value;
    yield* rows;
  };
  const line = (row: Row) => names.map((name) => columns[name](row) ?? '');
  const source = Readable.from(
    (async function* () {
      for await (const row of records()) yield line(row);
    })(),
  );
  // Spreadsheets and re-imports read true/false; csv-stringify's default would write 1 and ''.
  const csv = stringify({ header: true, columns: names, cast: { boolean: (value) => (value ? 'true' : 'false') } });
  source.on('error', (err) => csv.destroy(err));
  ctx.type = 'text/csv; charset=utf-8';
  ctx.set('Content-Disposition', `attachment; filename="${filename}"`);
  ctx.body = source.pipe(csv);
}

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : '');
export { iso as csvTime };
