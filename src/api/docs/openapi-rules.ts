import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { pagedSchema } from '../pagination';
import { accountSchema } from '../account/routes';
import { templateCreateSchema, templateListQuerySchema, templateSchema } from '../templates/schemas';
import { json, idParam, problem } from './openapi-parts';

/** WhatsApp templates (synced from 360Dialog) and the account's sending limits. */
export function registerRules(registry: OpenAPIRegistry): void {
  const tags = ['Templates'];
  const about =
    'Templates as the long-running Temporal workflow `templates-sync-<task queue>` last read them from 360Dialog ' +
    '(`GET /v1/configs/templates`, every TEMPLATE_SYNC_INTERVAL and on every template status or quality webhook). ' +
    'POST /whatsapp/ checks a template against this list (docs/whatsapp-rules.md).';
  const errors = {
    400: problem('Invalid input; `details` names each bad field'),
    401: problem('Missing or wrong API key (only when API_KEY is set)'),
  };
  registry.registerPath({
    method: 'get',
    path: '/templates/',
    tags,
    operationId: 'listTemplates',
    summary: 'List WhatsApp templates',
    description: about,
    request: { query: templateListQuerySchema },
    responses: { 200: json(pagedSchema(templateSchema), 'A page of templates, newest first'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/templates/{id}/',
    tags,
    operationId: 'getTemplate',
    summary: 'Show one template with its parameters per component',
    request: { params: idParam },
    responses: { 200: json(templateSchema, 'The template'), 404: problem('No such template') },
  });
  registry.registerPath({
    method: 'get',
    path: '/account/',
    tags: ['Account'],
    operationId: 'getAccount',
    summary: "The number's quality, messaging limit and sending rules",
    description:
      'Quality and limit from the last `phone_number_quality_update` webhook; when the template list was last synced; the rules applied before sending (docs/whatsapp-rules.md).',
    responses: {
      200: json(accountSchema, 'The account'),
      401: problem('Missing or wrong API key (only when API_KEY is set)'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/templates/',
    tags,
    operationId: 'createTemplate',
    summary: 'Submit a new template to 360Dialog for review',
    description:
      'Validated first (name of lower-case letters, digits and _; category; one BODY; placeholders {{1}}, {{2}}, ... in order), then submitted; it stays PENDING until Meta reviews it, which the template webhook reports.',
    request: { body: json(templateCreateSchema, 'The template') },
    responses: {
      201: json(templateSchema, 'Submitted; PENDING until reviewed'),
      409: problem('A template with this name and language exists (duplicate_template)'),
      422: problem('360Dialog refused it (template_refused), with its reason'),
      503: problem('360Dialog unreachable (whatsapp_unavailable) or D360_API_KEY unset (not_configured)'),
      ...errors,
    },
  });
}
