import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { autoReplyListQuerySchema, autoReplySchema, autoReplyWriteSchema } from '../auto-replies/schemas';
import { pagedSchema } from '../pagination';
import { webhookAcceptedSchema, webhookBodySchema } from '../webhooks/schemas';
import { json, idParam, problem } from './openapi-parts';

/** The 360Dialog webhook and the auto-reply rules. */
export function registerInbound(registry: OpenAPIRegistry): void {
  registry.registerPath({
    method: 'post',
    path: '/webhooks/360dialog/',
    operationId: 'receiveWebhook',
    summary: "360Dialog's webhook: inbound messages and delivery statuses",
    tags: ['Inbound WhatsApp'],
    security: [{ webhookSecret: [] }],
    description:
      'Where 360Dialog delivers inbound messages and delivery statuses (register it with `POST /v1/configs/webhook` and ' +
      '`headers: {"X-Webhook-Secret": WEBHOOK_SECRET}`). Not behind API_KEY. Every event is stored once per ' +
      '(wamid, status) in the webhook inbox and the answer comes on that commit; then each status is applied to its message ' +
      '(forward only) and each message starts the Temporal workflow `inbound-<wamid>` (autoReplyWorkflow). A repeated delivery ' +
      'changes nothing, so a message is stored once and answered at most once. ' +
      'At most 1,000 events (messages, statuses, errors) per POST.',
    request: {
      headers: z.object({
        'X-Webhook-Secret': z
          .string()
          .optional()
          .meta({ description: 'Must equal WEBHOOK_SECRET (compared in constant time)' }),
      }),
      body: json(webhookBodySchema, 'One or more entries, messages and statuses'),
    },
    responses: {
      200: json(webhookAcceptedSchema, 'Every event committed to the webhook inbox'),
      400: problem(
        'Malformed JSON (invalid_json), not a WhatsApp webhook (invalid_webhook), or more than 1,000 events (too_many_events)',
      ),
      401: problem('Missing or wrong X-Webhook-Secret'),
      503: problem('Temporal unreachable: 360Dialog retries later'),
    },
  });

  const tags = ['Auto-replies'];
  const about =
    'Rules answer inbound messages: the highest-priority active rule whose `match` fits wins (`any` is a fallback). ' +
    'Opt-out words (OPT_OUT_KEYWORDS, OPT_IN_KEYWORDS) come before every rule. One reply per contact per rule within AUTO_REPLY_COOLDOWN; ' +
    'no replies to system messages, our own echoes, or messages older than INBOUND_MAX_AGE. Regexes use RE2 syntax and run in linear time ' +
    '(no backreferences or lookaround); at most AUTO_REPLY_MAX_RULES (100) rules can be active.';
  const errors = {
    400: problem('Invalid rule; `details` names each bad field'),
    401: problem('Missing or wrong API key (only when API_KEY is set)'),
  };
  registry.registerPath({
    method: 'get',
    path: '/auto-replies/',
    operationId: 'listAutoReplies',
    summary: 'List auto-reply rules',
    tags,
    description: about,
    request: { query: autoReplyListQuerySchema },
    responses: { 200: json(pagedSchema(autoReplySchema), 'Rules, highest priority first'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/auto-replies/',
    operationId: 'createAutoReply',
    summary: 'Create an auto-reply rule',
    tags,
    description: about,
    request: { body: json(autoReplyWriteSchema, 'A new rule') },
    responses: { 201: json(autoReplySchema, 'Created'), ...errors },
  });
  registry.registerPath({
    method: 'get',
    path: '/auto-replies/{id}/',
    operationId: 'getAutoReply',
    summary: 'Get an auto-reply rule',
    tags,
    request: { params: idParam },
    responses: { 200: json(autoReplySchema, 'The rule'), 404: problem('No such rule') },
  });
  registry.registerPath({
    method: 'put',
    path: '/auto-replies/{id}/',
    operationId: 'replaceAutoReply',
    summary: 'Replace an auto-reply rule',
    tags,
    request: { params: idParam, body: json(autoReplyWriteSchema, 'The whole rule') },
    responses: { 200: json(autoReplySchema, 'Replaced'), 404: problem('No such rule'), ...errors },
  });
  registry.registerPath({
    method: 'delete',
    path: '/auto-replies/{id}/',
    operationId: 'deleteAutoReply',
    summary: 'Delete an auto-reply rule',
    tags,
    request: { params: idParam },
    responses: { 204: { description: 'Deleted' }, 404: problem('No such rule') },
  });
}
