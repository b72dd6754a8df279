import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { wordpressLeadAcceptedSchema, wordpressLeadSchema } from '../wordpress-webhook/schemas';
import { json, problem } from './openapi-parts';

/** POST /webhooks/wordpress/: instant leads from WordPress forms. */
export function registerLeadWebhook(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/webhooks/wordpress/',
    operationId: 'receiveWordPressLead',
    summary: 'One lead from a WordPress form, the moment it is submitted',
    tags: ['Contacts'],
    security: [{ webhookSecret: [] }],
    description:
      'Called by a WordPress hook (docs/wordpress.md) with `X-Webhook-Secret: WORDPRESS_WEBHOOK_SECRET`; not behind API_KEY, ' +
      'and closed (401) while WORDPRESS_WEBHOOK_SECRET is unset. The lead is upserted exactly as the periodic sync does: by ' +
      'phone (DEFAULT_PHONE_REGION for national numbers), seated in a group, tags from the body plus WORDPRESS_TAGS and ' +
      'WORDPRESS_FIELD_TAGS paths, an opted-out number stays opted out. A repeated delivery changes nothing. A new contact ' +
      'enrols in the sequences its source or tags trigger. Body at most 64 KB; unknown keys are ignored.',
    request: {
      headers: z.object({ 'X-Webhook-Secret': z.string().optional().meta({ description: 'Must equal WORDPRESS_WEBHOOK_SECRET (constant-time compare)' }) }),
      body: json(wordpressLeadSchema(), 'The submitted fields'),
    },
    responses: {
      201: json(wordpressLeadAcceptedSchema, 'A new contact'),
      200: json(wordpressLeadAcceptedSchema, 'A known contact: updated, or unchanged (a repeated delivery)'),
      400: problem('Invalid input; `details` names each bad field'),
      401: problem('Missing or wrong X-Webhook-Secret, or no WORDPRESS_WEBHOOK_SECRET configured'),
      413: problem('The body is larger than 64 KB'),
    },
  });
}
