import type { EventWebhookSettings } from '../src/config';
import { createBroadcastActivities } from './broadcasts';
import { createChunkDelivery } from './deliver-chunk';
import { createDueDelivery } from './deliver-when-due';
import { createEventDeliveryActivities } from './event-delivery';
import { createStatusActivities } from './statuses';
import { createInboundActivities, type InboundActivityDeps } from './inbound';
import { createMessageActivities, type MessageActivityDeps } from './messages';
import { createWordPressSyncActivities, type WordPressActivityDeps } from './wordpress-sync';
import { createTemplateActivities, type TemplateActivityDeps } from './templates';
import { createMessagingLimitActivities, type MessagingLimitDeps } from './messaging-limit';
import { createSequenceActivities } from './sequences';

export type ActivityDeps = MessageActivityDeps & Omit<WordPressActivityDeps, 'db'> & Pick<InboundActivityDeps, 'inbound'> & Omit<TemplateActivityDeps, 'db'> & Omit<MessagingLimitDeps, 'db'> & { stopSignal?: AbortSignal; eventWebhooks: EventWebhookSettings };

export function createActivities(deps: ActivityDeps) {
  const messages = createMessageActivities(deps);
  return {
    ...messages,
    ...createChunkDelivery(deps, messages),
    ...createDueDelivery(messages, deps.stopSignal),
    ...createBroadcastActivities(deps),
    ...createStatusActivities(deps),
    ...createInboundActivities(deps),
    ...createWordPressSyncActivities(deps),
    ...createTemplateActivities(deps),
    ...createMessagingLimitActivities(deps),
    ...createEventDeliveryActivities(deps),
    ...createSequenceActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
