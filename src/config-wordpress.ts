import { z } from 'zod';
import { cleanTags, splitTags } from './campaigns/tags';
import { flag, optionalText } from './config-fields';
import {
  PRESET_NAMES,
  resolveSource,
  type FieldPaths,
  type PagingStyle,
  type PresetName,
} from './providers/wordpress/presets';

const UNITS_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000 };

/** `30s`, `5m`, `1h` (a bare number is seconds) -> milliseconds; at least one second. */
const interval = z
  .string()
  .trim()
  .default('5m')
  .transform((raw, ctx) => {
    const match = /^(\d+)\s*(s|m|h)?$/.exec(raw || '5m');
    const ms = match ? Number(match[1]) * UNITS_MS[match[2] ?? 's'] : 0;
    if (ms < 1_000) {
      ctx.addIssue({ code: 'custom', message: 'an interval such as 30s, 5m or 1h' });
      return z.NEVER;
    }
    return ms;
  });

/** Spread into the env schema of config.ts: every WORDPRESS_* variable. */
export const wordpressEnvShape = {
  WORDPRESS_URL: optionalText.pipe(
    z.url({ protocol: /^https?$/, error: 'must be the site address, e.g. https://example.com' }).optional(),
  ),
  // Basic auth travels with every request: plain http only to this machine or when explicitly allowed.
  WORDPRESS_ALLOW_HTTP: flag,
  WORDPRESS_USERNAME: optionalText,
  // Application Passwords contain spaces ("abcd efgh ijkl ..."): they are sent exactly as given.
  WORDPRESS_APP_PASSWORD: optionalText,
  WORDPRESS_PRESET: optionalText.pipe(
    z.enum(PRESET_NAMES, { error: `must be one of ${PRESET_NAMES.join(', ')}` }).optional(),
  ),
  WORDPRESS_CONTACTS_PATH: optionalText.pipe(
    z
      .string()
      .regex(/^\/\S*$/, 'must be a path starting with /, e.g. /wp-json/leads/v1/entries')
      .optional(),
  ),
  WORDPRESS_FIELD_NAME: optionalText,
  WORDPRESS_FIELD_PHONE: optionalText,
  WORDPRESS_FIELD_EMAIL: optionalText,
  WORDPRESS_FIELD_ID: optionalText,
  WORDPRESS_FIELD_MODIFIED: optionalText,
  WORDPRESS_FIELD_TAGS: optionalText,
  WORDPRESS_TAGS: optionalText,
  // The shared secret WordPress sends as X-Webhook-Secret to POST /webhooks/wordpress/ (instant leads).
  WORDPRESS_WEBHOOK_SECRET: optionalText,
  WORDPRESS_SYNC_INTERVAL: interval,
  WORDPRESS_PER_PAGE: z.coerce.number().int().min(1).max(100).default(100),
  WORDPRESS_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
};

const LOOPBACK_NAMES = new Set(['localhost', '[::1]']);

function isLoopbackUrl(raw: string): boolean {
  const { hostname } = new URL(raw);
  return LOOPBACK_NAMES.has(hostname) || hostname.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(hostname);
}

type WordPressEnv = z.infer<z.ZodObject<typeof wordpressEnvShape>>;

export interface WordPressConfig {
  url: string;
  username?: string;
  appPassword?: string;
  preset: PresetName;
  path: string;
  paging: PagingStyle;
  query: Record<string, string>;
  fields: FieldPaths;
  intervalMs: number;
  perPage: number;
  timeoutMs: number;
}

/** The sync's settings, undefined when WORDPRESS_URL is unset; problems name the variable to fix. */
export function wordpressConfig(e: WordPressEnv): { wordpress?: WordPressConfig; problems: string[] } {
  if (!e.WORDPRESS_URL) return { problems: [] };
  const problems: string[] = [];
  if (!e.WORDPRESS_URL.startsWith('https://') && !e.WORDPRESS_ALLOW_HTTP && !isLoopbackUrl(e.WORDPRESS_URL)) {
    problems.push(
      'WORDPRESS_URL: must be https:// (the Application Password travels in every request); for a site on this machine use localhost, or set WORDPRESS_ALLOW_HTTP=true',
    );
  }
  if (Boolean(e.WORDPRESS_USERNAME) !== Boolean(e.WORDPRESS_APP_PASSWORD)) {
    const missing = e.WORDPRESS_USERNAME ? 'WORDPRESS_APP_PASSWORD' : 'WORDPRESS_USERNAME';
    problems.push(
      `${missing}: is required together with ${missing === 'WORDPRESS_USERNAME' ? 'WORDPRESS_APP_PASSWORD' : 'WORDPRESS_USERNAME'} (WordPress Application Passwords use both)`,
    );
  }
  const preset = e.WORDPRESS_PRESET ?? 'custom';
  const source = resolveSource(preset, {
    path: e.WORDPRESS_CONTACTS_PATH,
    fields: {
      name: e.WORDPRESS_FIELD_NAME,
      phone: e.WORDPRESS_FIELD_PHONE,
      email: e.WORDPRESS_FIELD_EMAIL,
      id: e.WORDPRESS_FIELD_ID,
      modified: e.WORDPRESS_FIELD_MODIFIED,
      tags: e.WORDPRESS_FIELD_TAGS,
    },
  });
  if (!source.path)
    problems.push(
      'WORDPRESS_CONTACTS_PATH: is required with WORDPRESS_PRESET=custom (the REST route listing leads, e.g. /wp-json/leads/v1/entries)',
    );
  if (problems.length > 0) return { problems };
  return {
    problems,
    wordpress: {
      url: e.WORDPRESS_URL.replace(/\/+$/, ''),
      username: e.WORDPRESS_USERNAME,
      appPassword: e.WORDPRESS_APP_PASSWORD,
      preset,
      path: source.path as string,
      paging: source.paging,
      query: source.query,
      fields: { ...source.fields, fixedTags: cleanTags(splitTags(e.WORDPRESS_TAGS ?? '')) },
      intervalMs: e.WORDPRESS_SYNC_INTERVAL,
      perPage: e.WORDPRESS_PER_PAGE,
      timeoutMs: e.WORDPRESS_TIMEOUT_MS,
    },
  };
}

/** POST /webhooks/wordpress/: its secret (without one it refuses everything) and the sync's tag settings. */
export interface WordPressWebhookConfig {
  secret?: string;
  tagFields: Pick<FieldPaths, 'tags' | 'fixedTags'>;
}

export const wordpressWebhookConfig = (e: WordPressEnv): WordPressWebhookConfig => ({
  secret: e.WORDPRESS_WEBHOOK_SECRET,
  tagFields: { tags: e.WORDPRESS_FIELD_TAGS, fixedTags: cleanTags(splitTags(e.WORDPRESS_TAGS ?? '')) },
});
