import type { Interceptor } from '@grpc/grpc-js';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

/**
 * The SDK's gRPC retries, but none scheduled past the call's deadline. A retry timer that
 * outlives its request (the API gives each request's Temporal calls a deadline) would fire on
 * a connection closed in the meantime and throw where nothing can catch it.
 */
export function deadlineBoundRetries(): Interceptor {
  const defaults = defaultGrpcRetryOptions();
  return (options, nextCall) => {
    const deadline = options.deadline === undefined ? Infinity : new Date(options.deadline).getTime();
    let nextDelay = 0;
    return makeGrpcRetryInterceptor({
      retryableDecider: (attempt, status) => {
        if (!defaults.retryableDecider(attempt, status)) return false;
        nextDelay = defaults.delayFunction(attempt, status);
        return Date.now() + nextDelay < deadline;
      },
      delayFunction: () => nextDelay,
    })(options, nextCall);
  };
}
