import { OpenApiGeneratorV31, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { contactListQuerySchema, contactPatchSchema, contactSchema, contactWriteSchema } from '../contacts/schemas';
import { messageCreateSchema, messageListQuerySchema, messagePatchSchema, messageSchema } from '../messages/schemas';
import { syncReportSchema, syncRequestSchema } from '../contacts/sync-presenter';
import { pagedSchema } from '../pagination';
import { registerAudiences } from './openapi-audiences';
import { registerInbound } from './openapi-inbound';
import { documentIdempotency, registerOptOuts } from './openapi-safety';
import { registerRules } from './openapi-rules';
import { registerEventSubscriptions } from './openapi-event-subscriptions';
import { registerCampaigns } from './openapi-campaigns';
import { registerMedia } from './openapi-media';
import { registerLeadWebhook, registerSequences } from './openapi-leads';
import { errorResponseSchema } from '../schemas-common';
import { json, idParam } from './openapi-parts';
import { registerOperations, registerSecurity } from './openapi-operations';

const errors = {
  400: json(errorResponseSchema, 'Invalid input; `details` names each bad field'),
  401: json(errorResponseSchema, 'Missing or wrong API key (only when API_KEY is set)'),
  403: json(
    errorResponseSchema,
    'host_not_allowed: loopback-only without API_KEY, and the Host header is not localhost, 127.0.0.1 or [::1]',
  ),
  503: json(errorResponseSchema, 'Postgres or Temporal is unreachable'),
};

function registerContacts(registry: OpenAPIRegistry): void {
  const tags = ['Contacts'];
  registry.registerPath({
    method: 'get',
    path: '/contacts/',
    operationId: 'listContacts',
    summary: 'List contacts',
    tags,
    request: { query: contactListQuerySchema },
    responses: { 200: json(pagedSchema(contactSchema), 'A page of contacts, newest first'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/contacts/',
    operationId: 'createContact',
    summary: 'Create a contact',
    tags,
    request: { body: json(contactWriteSchema(), 'A new contact') },
    responses: {
      201: json(contactSchema, 'Created'),
      409: json(errorResponseSchema, 'The phone number is taken'),
      ...errors,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/contacts/{id}/',
    operationId: 'getContact',
    summary: 'Get a contact',
    tags,
    request: { params: idParam },
    responses: { 200: json(contactSchema, 'The contact'), 404: json(errorResponseSchema, 'No such contact') },
  });
  registry.registerPath({
    method: 'put',
    path: '/contacts/{id}/',
    operationId: 'replaceContact',
    summary: 'Replace a contact',
    tags,
    request: { params: idParam, body: json(contactWriteSchema(), 'The whole contact') },
    responses: {
      200: json(contactSchema, 'Updated'),
      404: json(errorResponseSchema, 'No such contact'),
      409: json(errorResponseSchema, 'The phone number is taken'),
      ...errors,
    },
  });
  registry.registerPath({
    method: 'patch',
    path: '/contacts/{id}/',
    operationId: 'updateContact',
    summary: 'Change some fields of a contact',
    tags,
    request: { params: idParam, body: json(contactPatchSchema(), 'Only the fields to change') },
    responses: {
      200: json(contactSchema, 'Updated'),
      404: json(errorResponseSchema, 'No such contact'),
      409: json(errorResponseSchema, 'The phone number is taken'),
      ...errors,
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/contacts/{id}/',
    operationId: 'deleteContact',
    summary: 'Delete a contact',
    tags,
    request: { params: idParam },
    responses: { 204: { description: 'Deleted' }, 404: json(errorResponseSchema, 'No such contact') },
  });
}

function registerContactSync(registry: OpenAPIRegistry): void {
  const tags = ['Contacts'];
  const about =
    'Leads from the WordPress landing pages become contacts through one long-running Temporal workflow, `wordpress-sync`, ' +
    'every WORDPRESS_SYNC_INTERVAL: new and changed entries since the last cycle are upserted by phone number and seated in groups.';
  registry.registerPath({
    method: 'get',
    path: '/contacts/sync/',
    operationId: 'getContactSync',
    summary: 'The WordPress sync and its last run',
    tags,
    description: `${about} Shows the last cycle (or the one running).`,
    responses: { 200: json(syncReportSchema, 'The last sync run'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/contacts/sync/',
    operationId: 'requestContactSync',
    summary: 'Run a WordPress sync cycle now',
    tags,
    description:
      `${about} Runs a cycle now instead of at the next interval (a signal to the workflow; poll GET for the result). ` +
      '`{"full": true}` reads and upserts every entry again, ignoring the cursor (after fixing a field map, or to re-import everything).',
    request: { body: { required: false, ...json(syncRequestSchema, 'Optional') } },
    responses: {
      202: json(
        syncReportSchema,
        'Requested; the body shows the new run (or, while a cycle is still running, that one: the request runs right after it)',
      ),
      409: json(errorResponseSchema, 'WORDPRESS_URL is not set: code sync_not_configured'),
      ...errors,
    },
  });
}

const RULES_422 =
  'Idempotency-Key reused with another body (idempotency_key_reused), or WhatsApp would refuse the send (docs/whatsapp-rules.md): ' +
  "outside_service_window (free text or media when the customer's 24-hour window will be closed, or every recipient's of a broadcast, " +
  'SERVICE_WINDOW_POLICY=enforce), ' +
  'template_not_found, template_not_approved, template_parameters (`details` names the component)';

function registerMessages(registry: OpenAPIRegistry): void {
  const tags = ['WhatsApp messages'];
  const headers = z.object({
    'Idempotency-Key': z
      .string()
      .optional()
      .meta({ description: 'A repeat with the same key returns the first result and sends nothing twice' }),
  });
  registry.registerPath({
    method: 'get',
    path: '/whatsapp/',
    operationId: 'listMessages',
    summary: 'List messages',
    tags,
    request: { query: messageListQuerySchema },
    responses: { 200: json(pagedSchema(messageSchema), 'A page of messages, newest first'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/whatsapp/',
    operationId: 'sendMessage',
    summary: 'Send or schedule a message or a broadcast',
    tags,
    request: { headers, body: json(messageCreateSchema(), 'Send now, or schedule with scheduled_at') },
    description:
      'Each message becomes a Temporal workflow `message-<id>`; a future `scheduled_at` is a durable timer. With `group_id` it is a broadcast: ' +
      'one parent message (kind `broadcast`, with `counts` per state) and, at its time, one child delivery per member who has not opted out ' +
      '(list them with `GET /whatsapp/?parent_id=<id>`). DELETE of a broadcast in progress stops the deliveries not yet sent.',
    responses: {
      201: json(
        messageSchema,
        'Accepted: sending now or scheduled; `warnings` says what WhatsApp will probably refuse',
      ),
      422: json(errorResponseSchema, RULES_422),
      ...errors,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/whatsapp/{id}/',
    operationId: 'getMessage',
    summary: 'Get a message',
    tags,
    request: { params: idParam },
    responses: { 200: json(messageSchema, 'The message'), 404: json(errorResponseSchema, 'No such message') },
  });
  registry.registerPath({
    method: 'patch',
    path: '/whatsapp/{id}/',
    operationId: 'rescheduleMessage',
    summary: 'Reschedule a message',
    tags,
    description: 'Moves a scheduled message to a new time (the same workflow, its timer moved).',
    request: { params: idParam, body: json(messagePatchSchema, 'The new time') },
    responses: {
      200: json(messageSchema, 'Rescheduled'),
      409: json(errorResponseSchema, 'Already sending, sent or cancelled'),
      ...errors,
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/whatsapp/{id}/',
    operationId: 'cancelMessage',
    summary: 'Cancel a message',
    tags,
    description:
      'Cancels a message that has not started sending, including one `deferred` by a WhatsApp rule (a paused template, the daily limit, 131049); it will never reach WhatsApp.',
    request: { params: idParam },
    responses: {
      200: json(messageSchema, 'Cancelled'),
      404: json(errorResponseSchema, 'No such message'),
      409: json(errorResponseSchema, 'Already sending or sent'),
      ...errors,
    },
  });
}

export function buildOpenApiDocument() {
  const registry = new OpenAPIRegistry();
  registerSecurity(registry);
  registerContacts(registry);
  registerContactSync(registry);
  registerMessages(registry);
  registerMedia(registry);
  registerInbound(registry);
  registerAudiences(registry);
  registerOptOuts(registry);
  registerRules(registry);
  registerEventSubscriptions(registry);
  registerCampaigns(registry);
  registerLeadWebhook(registry);
  registerSequences(registry);
  registerOperations(registry);
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'wa-automation API',
      version: '1.0.0',
      description:
        'Contacts and durable WhatsApp sends through 360Dialog. Every path also works without its trailing slash.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
  });
  documentIdempotency(document as Parameters<typeof documentIdempotency>[0]);
  return document;
}
