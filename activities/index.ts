import { createBroadcastActivities } from './broadcasts';
import { createStatusActivities } from './statuses';
import { createInboundActivities, type InboundActivityDeps } from './inbound';
import { createMessageActivities, type MessageActivityDeps } from './messages';
import { createWordPressSyncActivities, type WordPressActivityDeps } from './wordpress-sync';

export type ActivityDeps = MessageActivityDeps & Omit<WordPressActivityDeps, 'db'> & Pick<InboundActivityDeps, 'inbound'>;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createMessageActivities(deps),
    ...createBroadcastActivities(deps),
    ...createStatusActivities(deps),
    ...createInboundActivities(deps),
    ...createWordPressSyncActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
