import type { ApiClient } from './api-client';
import { WEBHOOK_SECRET } from '../fakes/webhook-bodies';

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
