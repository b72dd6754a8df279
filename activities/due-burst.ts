/** How long a finished send may wait for the others under way before it reports back anyway. */
const HOLD_MAX_MS = 2_000;

/**
 * Messages due at one instant leave before any of them reports back. Reporting a finished send
 * costs the worker and the engine more than the send did (the completion, then a workflow task
 * and its activation), and a thousand of those would compete with the sends still going out. So
 * a finished send waits until this worker's sends under way have left (at most HOLD_MAX_MS).
 * Its row already says what happened: a crash meanwhile sends nothing twice, since the retried
 * activity finds the message settled.
 */
export function createDueBurst(holdMaxMs = HOLD_MAX_MS) {
  let underWay = 0;
  const waiting = new Set<() => void>();

  return {
    async send<T>(work: () => Promise<T>): Promise<T> {
      underWay++;
      try {
        return await work();
      } finally {
        underWay--;
        if (underWay === 0) for (const wake of waiting) wake();
      }
    },

    /** Resolves once no send is under way, or after the hold's bound. */
    othersLeft(): Promise<void> {
      if (underWay === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          waiting.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, holdMaxMs);
        waiting.add(wake);
      });
    },
  };
}

export type DueBurst = ReturnType<typeof createDueBurst>;
