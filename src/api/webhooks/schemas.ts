import { z } from 'zod';

export { webhookBodySchema } from '../../providers/d360/webhook-schema';
export type { WebhookBody, WebhookInboundMessage, WebhookValue } from '../../providers/d360/webhook-schema';

export const webhookAcceptedSchema = z
  .object({ received: z.object({ messages: z.number().int(), statuses: z.number().int(), ignored: z.number().int() }) })
  .meta({ id: 'WebhookAccepted' });
