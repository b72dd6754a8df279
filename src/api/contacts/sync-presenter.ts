import { z } from 'zod';
import type { WordPressConfig } from '../../config-wordpress';
import type { SyncRun } from '../../db/repositories/sync-runs';

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/** GET /contacts/sync/: the sync's settings and its last run (nulls before the first). */
export const presentSyncReport = (wordpress: WordPressConfig | undefined, run: SyncRun | undefined) => ({
  configured: Boolean(wordpress),
  preset: wordpress?.preset ?? null,
  run_preset: run?.preset ?? null,
  interval_seconds: wordpress ? wordpress.intervalMs / 1000 : null,
  status: run?.status ?? 'never_run',
  run_id: run?.id ?? null,
  started_at: iso(run?.started_at),
  finished_at: iso(run?.finished_at),
  fetched: run?.fetched ?? 0,
  created: run?.created ?? 0,
  updated: run?.updated ?? 0,
  unchanged: run?.unchanged ?? 0,
  skipped: run?.skipped ?? 0,
  skipped_reasons: run?.skipped_reasons ?? {},
  skipped_entries: run?.skipped_entries ?? [],
  error: run?.error ?? null,
  next_retry_at: iso(run?.next_retry_at),
});

/** POST /contacts/sync/ body (optional). */
export const syncRequestSchema = z
  .strictObject({
    full: z.boolean().optional().meta({ description: 'Ignore the cursor: read and upsert every entry again' }),
  })
  .meta({ id: 'ContactSyncRequest' });

export const syncReportSchema = z
  .object({
    configured: z.boolean().meta({ description: 'False when WORDPRESS_URL is not set' }),
    preset: z
      .enum(['custom', 'gravity-forms', 'fluent-forms', 'elementor', 'users'])
      .nullable()
      .meta({ description: 'The preset configured now' }),
    run_preset: z
      .string()
      .nullable()
      .meta({ description: 'The preset the run shown read with (it may predate a change of WORDPRESS_PRESET)' }),
    interval_seconds: z.number().nullable(),
    status: z.enum(['never_run', 'running', 'succeeded', 'failed']),
    run_id: z.number().int().nullable(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    fetched: z.number().int().meta({ description: 'Entries WordPress returned' }),
    created: z.number().int(),
    updated: z
      .number()
      .int()
      .meta({ description: 'Contacts whose name or email changed in WordPress after our last change' }),
    unchanged: z.number().int().meta({ description: 'Entries already synced and not changed since' }),
    skipped: z.number().int(),
    skipped_reasons: z.record(z.string(), z.number().int()).meta({
      description:
        'missing_phone, invalid_phone, duplicate_phone (a second entry with a phone seen earlier in the run), older_than_contact (the contact was edited here after the entry changed in WordPress); duplicate_phone also covers an entry whose number already belongs to a contact made from another entry',
    }),
    skipped_entries: z
      .array(z.object({ entry_id: z.string().nullable(), reason: z.string(), value: z.string().optional() }))
      .meta({ description: 'Up to 50 skipped entries, to find them in WordPress' }),
    error: z.string().nullable().meta({
      description:
        'Why the run failed; while `running`, the error of the last failed attempt (WordPress down) until pages move again',
    }),
    next_retry_at: z
      .string()
      .nullable()
      .meta({ description: 'While `running` after a failed attempt: when Temporal tries the import again' }),
  })
  .meta({ id: 'ContactSyncReport' });
