import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { ApiClient } from './api-client';
import { WEBHOOK_SECRET } from '../fakes/webhook-bodies';
import { eventually } from './poll';

/** POSTs a webhook the way 360Dialog does: JSON with our secret header (null: no header). */
export const postWebhook = (api: ApiClient, body: unknown, secret: string | null = WEBHOOK_SECRET) =>
  api.post('/webhooks/360dialog/', body, { headers: secret === null ? {} : { 'x-webhook-secret': secret } });

/** Inbound messages as GET /whatsapp/?direction=inbound lists them. */
export async function inboundMessages(api: ApiClient): Promise<any[]> {
  const { body } = await api.get('/whatsapp/?direction=inbound&page_size=500');
  return body.results;
}

/** Outbound messages as GET /whatsapp/ lists them. */
export async function outboundMessages(api: ApiClient): Promise<any[]> {
  const { body } = await api.get('/whatsapp/?page_size=500');
  return body.results;
}

/** Waits until the inbox processor has applied every webhook event committed so far. */
export async function inboxApplied(db: Knex, timeoutMs = 15_000): Promise<void> {
  await eventually(async () => (await db('webhook_inbox').whereNull('processed_at').count({ n: '*' }))[0].n === 0, {
    timeoutMs,
    what: 'every webhook event to be applied',
  });
}

/** The result of a customer message's `inbound-<wamid>` workflow, once the inbox and the outbox have started it. */
export async function autoReplyResult(temporal: Client, wamid: string): Promise<any> {
  const handle = temporal.workflow.getHandle(`inbound-${wamid}`);
  await eventually(() => handle.describe(), { what: `workflow inbound-${wamid} to start` });
  return handle.result();
}
