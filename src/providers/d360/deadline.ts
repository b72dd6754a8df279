import { EventEmitter } from 'node:events';

/**
 * A per-request time limit undici's `dispatcher.request` accepts as its `signal`. Like
 * AbortSignal.timeout it covers the whole call (waiting for a pooled connection, the answer
 * and its body), but costs one timer and an emitter instead of an AbortSignal with its
 * weak-reference bookkeeping on every send.
 */
export class Deadline extends EventEmitter {
  aborted = false;
  reason: Error | undefined = undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(ms: number) {
    super();
    this.timer = setTimeout(() => {
      this.aborted = true;
      this.reason = Object.assign(new Error(`no answer within ${ms} ms`), { name: 'TimeoutError' });
      this.emit('abort');
    }, ms);
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
