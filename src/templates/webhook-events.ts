import type { WebhookBody } from '../providers/d360/webhook-schema';

/** Webhook fields that say a template changed (360Dialog documentation, "Templates on 360Dialog"). */
export const TEMPLATE_FIELDS = new Set([
  'message_template_status_update',
  'message_template_quality_update',
  'template_category_update',
]);

/** How many changes in this body are about templates. */
export const templateChanges = (body: WebhookBody): number =>
  body.entry.reduce(
    (sum, entry) => sum + entry.changes.filter((change) => TEMPLATE_FIELDS.has(change.field)).length,
    0,
  );

export interface QualityUpdate {
  quality?: string;
  event?: string;
  currentLimit?: string;
  payload: Record<string, unknown>;
}

// The event names a quality change without always giving the rating: FLAGGED is a low (red) rating.
const QUALITY_OF_EVENT: Record<string, string> = { FLAGGED: 'RED', UNFLAGGED: 'GREEN' };

const word = (value: unknown) =>
  typeof value === 'string' && value.length > 0 && value.length <= 64 ? value.toUpperCase() : undefined;

/** The phone_number_quality_update changes in this body, in order. */
export function qualityUpdates(body: WebhookBody): QualityUpdate[] {
  return body.entry.flatMap((entry) =>
    entry.changes
      .filter((change) => change.field === 'phone_number_quality_update')
      .map((change) => {
        const value = change.value as Record<string, unknown>;
        const event = word(value.event);
        return {
          quality: word(value.quality_rating) ?? word(value.quality) ?? (event ? QUALITY_OF_EVENT[event] : undefined),
          event,
          currentLimit: word(value.current_limit),
          payload: value,
        };
      }),
  );
}
