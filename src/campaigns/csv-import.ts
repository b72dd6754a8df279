import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { parse } from 'csv-parse';
import type { Knex } from 'knex';
import type { CountryCode } from 'libphonenumber-js/max';
import { upsertLeads } from '../db/repositories/lead-contacts';
import { AppError } from '../errors';
import { normalisePhone } from '../phone';
import type { Lead } from '../providers/wordpress/entry';
import { cleanTags, splitTags } from './tags';

export const MAX_IMPORT_BYTES = 64 * 1024 * 1024;
const BATCH = 1_000;
const MAX_ERRORS_KEPT = 1_000;
const MAX_FIELD = 4_096;
const MAX_NAME = 200;
// Duplicate rows are found among this many phones (~60 MB at most); past that, the upsert still keeps one contact per
// phone.
const MAX_REMEMBERED_PHONES = 1_000_000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface ImportColumns {
  name: string;
  phone_number: string;
  email: string;
  tags: string;
}

export interface ImportOptions {
  columns: ImportColumns;
  region?: CountryCode;
  /** Tags every row gets, besides its own. */
  tags: string[];
  /** Where triggered sequence workflows run. */
  taskQueue: string;
}

export interface RowError {
  row: number;
  column: string | null;
  reason: string;
}

export interface ImportProgress {
  rows_total: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  error_count: number;
  errors: RowError[];
  file_sha256?: string;
}

export const newProgress = (): ImportProgress => ({
  rows_total: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  failed: 0,
  error_count: 0,
  errors: [],
});

export const invalidCsv = (message: string) => new AppError(400, 'invalid_csv', message);

/** Counts and hashes the bytes as they pass, and stops the upload past MAX_IMPORT_BYTES. */
function meter(progress: ImportProgress): Transform {
  const hash = createHash('sha256');
  let bytes = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > MAX_IMPORT_BYTES)
        return done(
          new AppError(
            413,
            'payload_too_large',
            `the CSV is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB; split it`,
          ),
        );
      hash.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      progress.file_sha256 = hash.digest('hex');
      done();
    },
  });
}

/**
 * The header row decides the separator: spreadsheets in comma-decimal locales save `;`.
 * One separator per file, so a `;` inside a comma-separated name stays in the name.
 */
export function sniffDelimiter(head: string): ',' | ';' {
  const firstLine = head.replace(/"[^"]*"/g, '').split(/\r?\n/)[0];
  const count = (c: string) => firstLine.split(c).length - 1;
  return count(';') > count(',') ? ';' : ',';
}

/** csv-parse over the stream, its separator sniffed from the first line (read ahead, then replayed). */
async function parserFor(bytes: Readable): Promise<Readable> {
  const chunks = bytes[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  for (;;) {
    const next = await chunks.next();
    if (next.done) break;
    head.push(next.value as Buffer);
    if ((next.value as Buffer).includes(0x0a) || Buffer.concat(head).length > MAX_FIELD * 8) break;
  }
  const start = Buffer.concat(head);
  const parser = parse({
    bom: true,
    delimiter: sniffDelimiter(start.toString('utf8')),
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: MAX_FIELD * 8,
  });
  const replay = Readable.from(
    (async function* () {
      if (start.length > 0) yield start;
      for (;;) {
        const next = await chunks.next();
        if (next.done) return;
        yield next.value as Buffer;
      }
    })(),
  );
  replay.on('error', (err) => parser.destroy(err));
  return replay.pipe(parser);
}

/** Where each wanted field sits in the header row (matched case-insensitively); the phone column is required. */
function locate(header: string[], columns: ImportColumns): Record<keyof ImportColumns, number> {
  const names = header.map((h) => h.trim().toLowerCase());
  const at = (name: string) => names.indexOf(name.trim().toLowerCase());
  const found = {
    name: at(columns.name),
    phone_number: at(columns.phone_number),
    email: at(columns.email),
    tags: at(columns.tags),
  };
  if (found.phone_number < 0)
    throw invalidCsv(
      `the header row has no "${columns.phone_number}" column (found: ${header.slice(0, 20).join(', ')}); name it with ?phone_column=`,
    );
  return found;
}

/**
 * Streams `body` through csv-parse (comma or semicolon, quoted fields, BOM, CRLF) and
 * upserts every thousand rows in one transaction, exactly like the WordPress sync: by
 * phone, new contacts seated in groups by Postgres, opt-outs never touched.
 */
export async function importCsv(
  db: Knex,
  body: Readable,
  options: ImportOptions,
  progress: ImportProgress,
  onBatch: (p: ImportProgress) => Promise<void>,
): Promise<ImportProgress> {
  const fail = (row: number, column: string | null, reason: string) => {
    progress.failed++;
    progress.error_count++;
    if (progress.errors.length < MAX_ERRORS_KEPT) progress.errors.push({ row, column, reason });
  };
  const records = await parserFor(body.pipe(meter(progress)));
  const seen = new Set<string>();
  let columns: Record<keyof ImportColumns, number> | undefined;
  let batch: { row: number; lead: Lead }[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    const leads = batch.map((b) => b.lead);
    const outcomes = await db.transaction((trx) =>
      upsertLeads(trx, 'csv', leads, { alwaysApply: true, taskQueue: options.taskQueue }),
    );
    outcomes.forEach((outcome) => {
      progress[outcome === 'created' ? 'created' : outcome === 'updated' ? 'updated' : 'unchanged']++;
    });
    batch = [];
    await onBatch(progress);
  };

  let row = 0;
  try {
    for await (const record of records as AsyncIterable<string[]>) {
      row++;
      if (!columns) {
        columns = locate(record, options.columns);
        continue;
      }
      progress.rows_total++;
      const cell = (index: number) => (index >= 0 ? (record[index] ?? '').trim().slice(0, MAX_FIELD) : '');
      const rawPhone = cell(columns.phone_number);
      if (!rawPhone) {
        fail(row, options.columns.phone_number, 'missing phone number');
        continue;
      }
      const phone = normalisePhone(rawPhone.slice(0, 64), options.region);
      if (!phone) {
        fail(
          row,
          options.columns.phone_number,
          options.region
            ? `not a valid phone number: ${rawPhone.slice(0, 64)}`
            : `not a valid international number (+ and country code), and no region was given: ${rawPhone.slice(0, 64)}`,
        );
        continue;
      }
      if (seen.has(phone)) {
        fail(row, options.columns.phone_number, `the same phone number as an earlier row (${phone})`);
        continue;
      }
      if (seen.size < MAX_REMEMBERED_PHONES) seen.add(phone);
      const email = cell(columns.email);
      if (email && (email.length > 320 || !EMAIL.test(email))) {
        fail(row, options.columns.email, `not a valid email address: ${email.slice(0, 64)}`);
        continue;
      }
      const tags = cleanTags([...options.tags, ...splitTags(cell(columns.tags))]);
      batch.push({
        row,
        lead: {
          phone,
          name: cell(columns.name).slice(0, MAX_NAME) || undefined,
          email: email || undefined,
          ...(tags.length ? { tags } : {}),
        },
      });
      if (batch.length >= BATCH) await flush();
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('CSV_'))
      throw invalidCsv(`row ${row + 1}: ${(err as Error).message}`);
    throw err;
  }
  if (!columns)
    throw invalidCsv('the CSV is empty: it needs a header row naming its columns, then one row per contact');
  await flush();
  return progress;
}
