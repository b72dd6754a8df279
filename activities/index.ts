import { createMessageActivities, type MessageActivityDeps } from './messages';

export type ActivityDeps = MessageActivityDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createMessageActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
