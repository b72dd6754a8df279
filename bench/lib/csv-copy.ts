import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';
import type { Knex } from 'knex';
import { benchPhone } from './context';

const CHUNK_ROWS = 1_000;
export const CSV_COLUMNS = ['name', 'phone_number', 'email'] as const;
const SCRATCH = 'bench_import_copy';

/** `n` contacts as CSV (header first), made a thousand rows at a time so neither side holds the whole file. */
export function csvRows(n: number, series: number): Readable {
  return Readable.from(
    (function* () {
      yield `${CSV_COLUMNS.join(',')}\n`;
      for (let start = 0; start < n; start += CHUNK_ROWS) {
        let chunk = '';
        for (let i = start; i < Math.min(n, start + CHUNK_ROWS); i++)
          chunk += `Lead ${i},${benchPhone(series, i)},lead${i}@example.com\n`;
        yield chunk;
      }
    })(),
  );
}

/** Runs psql with `sql`, feeding it `stdin`; resolves with its stdout, rejects on a non-zero exit or a missing psql. */
function psql(url: string, sql: string, stdin: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.PSQL_PATH || 'psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.stdin.on('error', () => undefined);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`psql exited with ${code}: ${err.slice(0, 500)}`)),
    );
    stdin.pipe(child.stdin);
  });
}

export interface CopyBaseline {
  rate: number;
  label: string;
}

/**
 * The same CSV rows into a scratch copy of contacts (same columns, defaults and indexes; no triggers, so no group
 * seating), by `COPY ... FROM STDIN` through psql; where psql is missing, by multi-row INSERTs, and the label says so.
 */
export async function copyBaseline(db: Knex, url: string, n: number, series: number): Promise<CopyBaseline> {
  await db.raw(`DROP TABLE IF EXISTS ${SCRATCH}`);
  await db.raw(`CREATE TABLE ${SCRATCH} (LIKE contacts INCLUDING ALL)`);
  try {
    const t0 = performance.now();
    let label = 'bare COPY FROM STDIN (psql, its start included) into a trigger-less copy of contacts';
    try {
      await psql(
        url,
        `COPY ${SCRATCH} (${CSV_COLUMNS.join(', ')}) FROM STDIN WITH (FORMAT csv, HEADER true)`,
        csvRows(n, series),
      );
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') throw err;
      label = 'bare multi-row INSERT (1,000 rows a statement; no psql for COPY) into a trigger-less copy of contacts';
      await insertRows(db, n, series);
    }
    const elapsed = performance.now() - t0;
    const copied = Number((await db(SCRATCH).count({ n: '*' }))[0].n);
    if (copied !== n) throw new Error(`the baseline wrote ${copied} rows, not ${n}`);
    return { rate: (n / elapsed) * 1000, label };
  } finally {
    await db.raw(`DROP TABLE IF EXISTS ${SCRATCH}`);
  }
}

async function insertRows(db: Knex, n: number, series: number): Promise<void> {
  for (let start = 0; start < n; start += CHUNK_ROWS) {
    const rows = [];
    for (let i = start; i < Math.min(n, start + CHUNK_ROWS); i++)
      rows.push({ name: `Lead ${i}`, phone_number: benchPhone(series, i), email: `lead${i}@example.com` });
    await db(SCRATCH).insert(rows);
  }
}
