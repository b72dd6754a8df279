import type { Knex } from 'knex';
import type { ImportProgress } from '../../campaigns/csv-import';
import { fetchPage, type PageRequest } from './pagination';
import type { JsonColumnsAsText, TableWithJson } from '../row-types';

export interface ContactImport extends Omit<ImportProgress, 'file_sha256'> {
  id: number;
  status: 'running' | 'completed' | 'failed';
  file_sha256: string | null;
  options: Record<string, unknown>;
  error_message: string | null;
  finished_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const TABLE = 'contact_imports';

type ContactImportsTable = TableWithJson<ContactImport, 'options' | 'errors'>;
type WrittenColumns = Partial<JsonColumnsAsText<ContactImport, 'options' | 'errors'>>;

const progressColumns = (p: ImportProgress): WrittenColumns => ({
  rows_total: p.rows_total,
  created: p.created,
  updated: p.updated,
  unchanged: p.unchanged,
  failed: p.failed,
  error_count: p.error_count,
  errors: JSON.stringify(p.errors),
  file_sha256: p.file_sha256 ?? null,
});

export function createContactImportsRepository(db: Knex) {
  const table = () => db<ContactImportsTable>(TABLE);
  const change = async (id: number, fields: WrittenColumns) =>
    (
      await table()
        .where({ id })
        .update({ ...fields, updated_at: db.fn.now() })
        .returning('*')
    )[0] as ContactImport | undefined;

  return {
    list: (page: PageRequest) => fetchPage<ContactImport>(table().select('*'), page),
    find: (id: number) => table().where({ id }).first(),
    async start(options: Record<string, unknown>): Promise<ContactImport> {
      const [row] = await table()
        .insert({ options: JSON.stringify(options) })
        .returning('*');
      return row as ContactImport;
    },
    progress: (id: number, p: ImportProgress) => change(id, progressColumns(p)),
    finish: (id: number, p: ImportProgress) =>
      change(id, { ...progressColumns(p), status: 'completed', finished_at: db.fn.now() }),
    fail: (id: number, p: ImportProgress, message: string) =>
      change(id, { ...progressColumns(p), status: 'failed', error_message: message, finished_at: db.fn.now() }),
  };
}
