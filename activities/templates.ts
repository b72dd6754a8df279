import { ApplicationFailure } from '@temporalio/activity';
import type { Knex } from 'knex';
import { createTemplatesRepository, type TemplateCategory, type TemplateRow } from '../src/db/repositories/templates';
import type { D360Template, D360TemplatesClient } from '../src/providers/d360/templates-client';

const PAGE_SIZE = 100;
// 360Dialog allows 250 templates per account; this bound only stops a misbehaving list from looping.
const MAX_PAGES = 50;
const CATEGORIES = new Set<TemplateCategory>(['MARKETING', 'UTILITY', 'AUTHENTICATION']);

export interface TemplateActivityDeps {
  db: Knex;
  templatesClient: D360TemplatesClient;
  /** TEMPLATE_SYNC_INTERVAL, handed to the workflow after each cycle. */
  templateSyncIntervalMs?: number;
}

/** 360Dialog's listing as our row; undefined for a category we do not know (kept out rather than guessed). */
export function toTemplateRow(t: D360Template): TemplateRow | undefined {
  const category = String(t.category ?? '').toUpperCase() as TemplateCategory;
  if (!CATEGORIES.has(category) || !t.name || !t.language) return undefined;
  const score = t.quality_score?.score?.toUpperCase();
  return {
    name: t.name,
    language: t.language,
    category,
    status: String(t.status ?? 'PENDING').toUpperCase(),
    quality: score && score !== 'UNKNOWN' ? score : null,
    components: Array.isArray(t.components) ? t.components : [],
    rejected_reason: t.rejected_reason && t.rejected_reason !== 'NONE' ? t.rejected_reason : null,
    external_id: t.id ? String(t.id) : null,
  };
}

export function createTemplateActivities({ db, templatesClient, templateSyncIntervalMs }: TemplateActivityDeps) {
  const templates = createTemplatesRepository(db);

  async function readAll(): Promise<D360Template[]> {
    const all: D360Template[] = [];
    for (let page = 0; page < MAX_PAGES; page++) {
      const reply = await templatesClient.listTemplates(page * PAGE_SIZE, PAGE_SIZE);
      if (!reply.ok) {
        await templates.recordSync({ synced: false, error: reply.error.message });
        if (reply.error.retryable) throw ApplicationFailure.retryable(reply.error.message, reply.error.code);
        throw ApplicationFailure.nonRetryable(reply.error.message, reply.error.code);
      }
      all.push(...reply.value.templates);
      if (reply.value.templates.length === 0 || all.length >= reply.value.total) break;
    }
    return all;
  }

  return {
    /** One full read of the template list: upserted, and those 360Dialog no longer lists removed, in one transaction.
     * */
    async syncTemplates(): Promise<{ templates: number; intervalMs?: number }> {
      if (!templatesClient.configured)
        throw ApplicationFailure.nonRetryable('D360_API_KEY is not set, so templates cannot be read', 'not_configured');
      const rows = (await readAll()).map(toTemplateRow).filter((row): row is TemplateRow => row !== undefined);
      await db.transaction(async (trx) => {
        await templates.upsert(rows, trx);
        await templates.removeNotInThisSync(trx);
        await templates.recordSync({ synced: true, templateCount: rows.length }, trx);
      });
      return { templates: rows.length, intervalMs: templateSyncIntervalMs };
    },
  };
}
