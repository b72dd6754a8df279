import type { Knex } from 'knex';
import type { TableWithJson } from '../row-types';
import { escapeLike, fetchPage, type PageRequest } from './pagination';

export const TEMPLATES_TABLE = 'templates';
const SYNC_TABLE = 'template_sync_state';

export type TemplateCategory = 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';

export interface Template {
  id: number;
  name: string;
  language: string;
  category: TemplateCategory;
  /** APPROVED, PENDING, REJECTED, PAUSED, DISABLED (as 360Dialog says; other words are kept as given). */
  status: string;
  /** GREEN, YELLOW, RED, or null when Meta has not rated it (UNKNOWN). */
  quality: string | null;
  components: Record<string, unknown>[];
  rejected_reason: string | null;
  external_id: string | null;
  synced_at: Date;
  created_at: Date;
  updated_at: Date;
}

export type TemplateRow = Pick<
  Template,
  'name' | 'language' | 'category' | 'status' | 'quality' | 'components' | 'rejected_reason' | 'external_id'
>;

export interface TemplateFilter {
  status?: string;
  category?: string;
  language?: string;
  /** Part of the name. */
  name?: string;
}

export interface TemplateSyncState {
  synced_at: Date | null;
  template_count: number;
  error: string | null;
}

export function createTemplatesRepository(db: Knex) {
  const table = (trx: Knex = db) => trx<TableWithJson<Template, 'components'>>(TEMPLATES_TABLE);

  return {
    async list(filter: TemplateFilter, page: PageRequest) {
      const query = table().select('*');
      if (filter.status) query.where('status', filter.status);
      if (filter.category) query.where('category', filter.category);
      if (filter.language) query.where('language', filter.language);
      if (filter.name) query.whereILike('name', `%${escapeLike(filter.name)}%`);
      return fetchPage<Template>(query, page);
    },

    find: (id: number) => table().where({ id }).first(),

    findByNameAndLanguage: (name: string, language: string) => table().where({ name, language }).first(),

    languagesOf: async (name: string): Promise<string[]> =>
      (await table().where({ name }).orderBy('language').select('language')).map((r) => r.language),

    /** Inserts or refreshes by (name, language), stamping them synced now; returns the rows. */
    async upsert(rows: TemplateRow[], trx?: Knex): Promise<Template[]> {
      if (rows.length === 0) return [];
      const values = rows.map((row) => ({
        ...row,
        components: JSON.stringify(row.components),
        synced_at: db.fn.now(),
        updated_at: db.fn.now(),
      }));
      return table(trx)
        .insert(values)
        .onConflict(['name', 'language'])
        .merge([
          'category',
          'status',
          'quality',
          'components',
          'rejected_reason',
          'external_id',
          'synced_at',
          'updated_at',
        ])
        .returning('*') as Promise<Template[]>;
    },

    /**
     * After a full read, in the upsert's transaction: rows it did not touch (synced before the
     * transaction began) are templates 360Dialog no longer lists, deleted there.
     */
    removeNotInThisSync: (trx: Knex.Transaction) => table(trx).where('synced_at', '<', trx.fn.now()).delete(),

    syncState: async (): Promise<TemplateSyncState | undefined> => db(SYNC_TABLE).where({ id: 1 }).first(),

    async recordSync(
      state: { synced: boolean; templateCount?: number; error?: string },
      trx: Knex = db,
    ): Promise<void> {
      const row = {
        id: 1,
        ...(state.synced ? { synced_at: trx.fn.now(), template_count: state.templateCount ?? 0 } : {}),
        error: state.error ?? null,
        updated_at: trx.fn.now(),
      };
      await trx(SYNC_TABLE).insert(row).onConflict('id').merge();
    },
  };
}

export type TemplatesRepository = ReturnType<typeof createTemplatesRepository>;
