import type { Logger } from '../logger';

export interface Loop {
  /** Runs a pass soon (now if idle, right after the current pass otherwise). */
  wake(): void;
  stop(): Promise<void>;
}

/** What a long pass may ask its loop while it runs. */
export interface PassControl {
  /** True once the loop is stopping: the pass should wind down. */
  stopping(): boolean;
  /** True if the loop was woken since the pass began or last asked. */
  woken(): boolean;
}

/**
 * Runs `pass` whenever woken, every `pollMs` anyway, and again at once while a pass reports
 * it did a full batch. One pass at a time; an error is logged and the next poll tries again.
 */
export function startLoop(
  name: string,
  pass: (control: PassControl) => Promise<boolean>,
  pollMs: number,
  logger: Logger,
): Loop {
  let running: Promise<void> | undefined;
  let again = false;
  let wokenDuringPass = false;
  let stopped = false;
  const control: PassControl = {
    stopping: () => stopped,
    woken: () => {
      const woken = wokenDuringPass;
      wokenDuringPass = false;
      return woken;
    },
  };
  const run = async () => {
    do {
      again = false;
      wokenDuringPass = false;
      try {
        if (await pass(control)) again = true;
      } catch (err) {
        logger.warn({ err, loop: name }, `${name}: pass failed; retrying at the next poll`);
        again = false;
        break;
      }
    } while (again && !stopped);
  };
  const wake = () => {
    if (stopped) return;
    if (running) {
      again = true;
      wokenDuringPass = true;
      return;
    }
    running = run().finally(() => {
      running = undefined;
      if (again && !stopped) wake();
    });
  };
  const timer = setInterval(wake, pollMs);
  timer.unref();
  setImmediate(wake);
  return {
    wake,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
