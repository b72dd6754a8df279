import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorResponseSchema } from '../schemas-common';
import { json } from './openapi-parts';

const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    postgres: z.object({ ok: z.boolean() }),
    temporal: z.object({ ok: z.boolean() }),
  })
  .meta({ id: 'Health' });

/** Bearer API_KEY on every operation unless it says otherwise; the webhook and /metrics have their own. */
export function registerSecurity(registry: OpenAPIRegistry): void {
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'API_KEY, when set: `Authorization: Bearer <API_KEY>`',
  });
  registry.registerComponent('securitySchemes', 'metricsToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'METRICS_TOKEN, for GET /metrics only',
  });
  registry.registerComponent('securitySchemes', 'webhookSecret', {
    type: 'apiKey',
    in: 'header',
    name: 'X-Webhook-Secret',
    description: 'WEBHOOK_SECRET, sent by 360Dialog',
  });
}

/** /health, /ready and /metrics: what an orchestrator and Prometheus call. */
export function registerOperations(registry: OpenAPIRegistry): void {
  const health = json(healthSchema, '`ok` per dependency, never the reason (that goes to the log)');
  const open: Record<string, string[]>[] = [];
  const onlyGet = { 405: json(errorResponseSchema, 'Only GET and HEAD (code method_not_allowed)') };
  registry.registerPath({
    method: 'get',
    path: '/health',
    operationId: 'getHealth',
    summary: 'Liveness, with Postgres and Temporal reachability',
    tags: ['Operations'],
    security: open,
    responses: { 200: health, ...onlyGet },
  });
  registry.registerPath({
    method: 'get',
    path: '/ready',
    operationId: 'getReadiness',
    summary: 'Readiness: Postgres and Temporal both answer',
    tags: ['Operations'],
    security: open,
    responses: {
      200: { ...health, description: 'Postgres and Temporal both answer: route traffic here' },
      503: { ...health, description: 'A dependency is unreachable (the body says which)' },
      ...onlyGet,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    operationId: 'getMetrics',
    summary: 'Prometheus metrics',
    tags: ['Operations'],
    security: [{ bearer: [] }, { metricsToken: [] }],
    description:
      'Prometheus text format: wa_http_requests_total{method,route,status}, wa_http_request_duration_seconds, wa_messages{direction,kind,status} ' +
      '(a snapshot counted at most every 30 s; wa_messages_age_seconds), wa_webhook_events_total{kind}, wa_whatsapp_send_duration_seconds{outcome} ' +
      '(in-process worker; separate workers serve their own on WORKER_METRICS_PORT), Node process metrics. Needs API_KEY or METRICS_TOKEN as a ' +
      'bearer token when either is set; open when neither is.',
    responses: {
      200: { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } },
      401: json(errorResponseSchema, 'Missing or wrong API_KEY / METRICS_TOKEN'),
    },
  });
}
