import type { Context, Next } from 'koa';

/** How many HTTP requests this process is answering now: the background loops give way while there are any. */
export interface RequestsInFlight {
  readonly count: number;
  /** Answering requests now, or answered one within the last `withinMs`. */
  busy(withinMs: number): boolean;
  middleware(ctx: Context, next: Next): Promise<void>;
}

export function createRequestsInFlight(): RequestsInFlight {
  let count = 0;
  let lastSeenAt = 0;
  return {
    get count() {
      return count;
    },
    busy: (withinMs) => count > 0 || Date.now() - lastSeenAt < withinMs,
    async middleware(_ctx, next) {
      count++;
      try {
        await next();
      } finally {
        count--;
        lastSeenAt = Date.now();
      }
    },
  };
}
