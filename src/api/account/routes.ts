import Router from '@koa/router';
import { z } from 'zod';
import type { RulesConfig } from '../../config-rules';
import type { AccountQualityRepository } from '../../db/repositories/account-quality';
import type { TemplatesRepository } from '../../db/repositories/templates';
import { LIMIT_OF_TIER } from '../../rules/messaging-limit';

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

export const accountSchema = z
  .object({
    quality: z.string().nullable().meta({
      description:
        "the business number's quality rating (GREEN, YELLOW, RED) from phone_number_quality_update; null before the first",
    }),
    messaging_limit: z.string().nullable().meta({ description: 'as Meta says it, e.g. TIER_2K' }),
    messaging_limit_per_day: z
      .union([z.number().int(), z.literal('unlimited')])
      .nullable()
      .meta({ description: 'unique customers reachable by business-initiated messages per rolling 24 h' }),
    last_event: z.string().nullable(),
    changed_at: z.string().nullable(),
    templates: z.object({ synced_at: z.string().nullable(), count: z.number().int(), error: z.string().nullable() }),
    rules: z.object({
      service_window_policy: z.string(),
      pair_rate_seconds: z.number(),
      allow_us_marketing_templates: z.boolean(),
    }),
  })
  .meta({ id: 'Account' });

/** GET /account/: what WhatsApp says about our number, and the rules we apply before sending. */
export function accountRouter(
  quality: AccountQualityRepository,
  templates: TemplatesRepository,
  rules: RulesConfig,
): Router {
  const router = new Router({ prefix: '/account' });
  router.get('/', async (ctx) => {
    const [current, sync] = await Promise.all([quality.get(), templates.syncState()]);
    const limit = current?.current_limit ?? null;
    ctx.body = {
      quality: current?.quality ?? null,
      messaging_limit: limit,
      messaging_limit_per_day: limit ? (LIMIT_OF_TIER[limit] ?? null) : null,
      last_event: current?.event ?? null,
      changed_at: iso(current?.changed_at),
      templates: { synced_at: iso(sync?.synced_at), count: sync?.template_count ?? 0, error: sync?.error ?? null },
      rules: {
        service_window_policy: rules.serviceWindowPolicy,
        pair_rate_seconds: rules.pairRateSeconds,
        allow_us_marketing_templates: rules.allowUsMarketing,
      },
    };
  });
  return router;
}
