import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { optOutListQuerySchema, optOutSchema } from '../opt-outs/schemas';
import { pagedSchema } from '../pagination';
import { errorResponseSchema } from '../schemas-common';

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const phoneParam = z.object({ phone: z.string().meta({ description: 'E.164, URL-encoded (%2B for +)', example: '%2B4915112345678' }) });

const OPT_OUTS_ABOUT =
  'The suppression list: every number that opted out (STOP by WhatsApp, or a contact marked opted out), kept by E.164 number so it ' +
  'outlives contacts. Every send checks it at send time (single, broadcast, status, auto-reply; only the STOP confirmation goes out). ' +
  "A deleted, re-imported or re-created contact with a listed number shows opted_out: true. Only the person's own START, or " +
  'DELETE /opt-outs/{phone}/ with a reason (logged), takes a number off.';

/** The suppression list. */
export function registerOptOuts(registry: OpenAPIRegistry): void {
  const tags = ['Opt-outs'];
  registry.registerPath({ method: 'get', path: '/opt-outs/', operationId: 'listOptOuts', summary: 'List the suppression list (audit)', tags, description: OPT_OUTS_ABOUT, request: { query: optOutListQuerySchema }, responses: { 200: json(pagedSchema(optOutSchema), 'A page of opted-out numbers, newest first') } });
  registry.registerPath({ method: 'get', path: '/opt-outs/{phone}/', operationId: 'getOptOut', summary: 'Whether a number is on the suppression list', tags, request: { params: phoneParam }, responses: { 200: json(optOutSchema, 'Listed'), 404: json(errorResponseSchema, 'Not listed') } });
  registry.registerPath({
    method: 'delete', path: '/opt-outs/{phone}/', operationId: 'removeOptOut', summary: 'Take a number off the suppression list (logged)', tags,
    description: 'Re-subscribes the number and its contact. The reason is required and written to the log with the entry removed.',
    request: { params: phoneParam, query: z.object({ reason: z.string().min(3).max(500) }) },
    responses: { 200: json(optOutSchema.extend({ removed: z.literal(true), reason: z.string() }), 'Removed'), 400: json(errorResponseSchema, 'No reason, or not a phone number'), 404: json(errorResponseSchema, 'Not listed') },
  });
}
