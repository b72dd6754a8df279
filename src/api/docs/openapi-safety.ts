import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { optOutListQuerySchema, optOutSchema } from '../opt-outs/schemas';
import { pagedSchema } from '../pagination';
import { errorResponseSchema } from '../schemas-common';
import { json } from './openapi-parts';

const phoneParam = z.object({
  phone: z.string().meta({ description: 'E.164, URL-encoded (%2B for +)', example: '%2B4915112345678' }),
});

const OPT_OUTS_ABOUT =
  'The suppression list: every number that opted out (STOP by WhatsApp, or a contact marked opted out), kept by E.164 number so it ' +
  'outlives contacts. Every send checks it at send time (single, broadcast, status, auto-reply; only the STOP confirmation goes out). ' +
  "A deleted, re-imported or re-created contact with a listed number shows opted_out: true. Only the person's own START, or " +
  'DELETE /opt-outs/{phone}/ with a reason (logged), takes a number off.';

/** The suppression list. */
export function registerOptOuts(registry: OpenAPIRegistry): void {
  const tags = ['Opt-outs'];
  registry.registerPath({
    method: 'get',
    path: '/opt-outs/',
    operationId: 'listOptOuts',
    summary: 'List the suppression list (audit)',
    tags,
    description: OPT_OUTS_ABOUT,
    request: { query: optOutListQuerySchema },
    responses: {
      200: json(pagedSchema(optOutSchema), 'A page of opted-out numbers, newest first'),
      400: json(errorResponseSchema, 'Invalid query; `details` names each bad field'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/opt-outs/{phone}/',
    operationId: 'getOptOut',
    summary: 'Whether a number is on the suppression list',
    tags,
    request: { params: phoneParam },
    responses: { 200: json(optOutSchema, 'Listed'), 404: json(errorResponseSchema, 'Not listed') },
  });
  registry.registerPath({
    method: 'delete',
    path: '/opt-outs/{phone}/',
    operationId: 'removeOptOut',
    summary: 'Take a number off the suppression list (logged)',
    tags,
    description:
      'Re-subscribes the number and its contact. The reason is required and written to the log with the entry removed.',
    request: { params: phoneParam, query: z.object({ reason: z.string().min(3).max(500) }) },
    responses: {
      200: json(optOutSchema.extend({ removed: z.literal(true), reason: z.string() }), 'Removed'),
      400: json(errorResponseSchema, 'No reason, or not a phone number'),
      404: json(errorResponseSchema, 'Not listed'),
    },
  });
}

/** The creating POSTs that honour Idempotency-Key (src/api/middleware/idempotency.ts). */
export const IDEMPOTENT_POSTS = [
  '/contacts/',
  '/whatsapp/',
  '/groups/',
  '/status/',
  '/auto-replies/',
  '/templates/',
  '/event-subscriptions/',
];

type Operation = { parameters?: unknown[]; responses?: Record<string, unknown> };

/** Adds the Idempotency-Key header and its two refusals to every idempotent POST of a generated document. */
export function documentIdempotency(document: { paths?: Record<string, { post?: Operation }> }): void {
  const error = { $ref: '#/components/schemas/Error' };
  for (const path of IDEMPOTENT_POSTS) {
    const post = document.paths?.[path]?.post;
    if (!post) continue;
    post.parameters = [
      ...(post.parameters ?? []).filter((p) => (p as { name?: string }).name !== 'Idempotency-Key'),
      {
        in: 'header',
        name: 'Idempotency-Key',
        required: false,
        schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
        description:
          'A repeat with the same key and body within IDEMPOTENCY_TTL (24 h) gets the first answer (status and body) with `Idempotent-Replayed: true`; errors and 5xx are not kept. Scoped per route and API key.',
      },
    ];
    post.responses = {
      ...post.responses,
      409: {
        description:
          'A request with this key is still running (code idempotency_in_progress), or a conflict of the route',
        content: { 'application/json': { schema: error } },
      },
      422: {
        description: `The key was used with another body (code idempotency_key_reused)${path === '/auto-replies/' ? '; or AUTO_REPLY_MAX_RULES rules are already active (code too_many_rules)' : ''}`,
        content: { 'application/json': { schema: error } },
      },
    };
  }
}
