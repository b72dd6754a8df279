import type { EventWebhookSettings } from '../src/config';
import { createBroadcastActivities } from './broadcasts';
import { createChunkDelivery } from './deliver-chunk';
import { createDueDelivery } from './deliver-when-due';
import { createEventDeliveryActivities } from './event-delivery';
import { createStatusPostActivities } from './status-posts';
import { createInboundActivities, type InboundActivityDeps } from './inbound';
import { createSendPath, type SendPathDeps } from './send-path';
import { createWordPressSyncActivities, type WordPressActivityDeps } from './wordpress-sync';
import { createTemplateActivities, type TemplateActivityDeps } from './templates';
import { createMessagingLimitActivities, type MessagingLimitDeps } from './messaging-limit';
import { createSequenceActivities } from './sequences';

export type ActivityDeps = SendPathDeps &
  Omit<WordPressActivityDeps, 'db'> &
  Pick<InboundActivityDeps, 'inbound'> &
  Omit<TemplateActivityDeps, 'db'> &
  Omit<MessagingLimitDeps, 'db'> & { stopSignal?: AbortSignal; eventWebhooks: EventWebhookSettings };

export function createActivities(deps: ActivityDeps) {
  const sendPath = createSendPath(deps);
  return {
    // The send path's steps stay inside the two delivery activities; only the final record of a failure is the
    // workflow's.
    recordOutcome: sendPath.recordOutcome,
    ...createChunkDelivery(deps, sendPath),
    ...createDueDelivery(sendPath, deps.stopSignal),
    ...createBroadcastActivities(deps),
    ...createStatusPostActivities(deps),
    ...createInboundActivities(deps),
    ...createWordPressSyncActivities(deps),
    ...createTemplateActivities(deps),
    ...createMessagingLimitActivities(deps),
    ...createEventDeliveryActivities(deps),
    ...createSequenceActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
