import type { Context, Next } from 'koa';

/** How many HTTP requests this process is answering now: the background loops give way while there are any. */
export interface RequestsInFlight {
  readonly count: number;
  middleware(ctx: Context, next: Next): Promise<void>;
}

export function createRequestsInFlight(): RequestsInFlight {
  let count = 0;
  return {
    get count() {
      return count;
    },
    async middleware(_ctx, next) {
      count++;
      try {
        await next();
      } finally {
        count--;
      }
    },
  };
}
