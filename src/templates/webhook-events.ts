import type { WebhookBody } from '../api/webhooks/schemas';

/** Webhook fields that say a template changed (../shared/docs/360dialog.md, "Templates on 360Dialog"). */
export const TEMPLATE_FIELDS = new Set(['message_template_status_update', 'message_template_quality_update', 'template_category_update']);

/** How many changes in this body are about templates. */
export const templateChanges = (body: WebhookBody): number =>
  body.entry.reduce((sum, entry) => sum + entry.changes.filter((change) => TEMPLATE_FIELDS.has(change.field)).length, 0);
