/** What a pipeline asks of its caller. `take`, `settle` and `giveBack` run one at a time, never together. */
export interface PipelineSteps<T, R> {
  /** Up to `n` more items; fewer than `n` means none more are waiting now. */
  take(n: number): Promise<T[]>;
  /** One item's work; must not throw (its failure is part of its result). */
  run(item: T): Promise<R>;
  /** Records a small group of finished results. */
  settle(results: R[]): Promise<void>;
  /** Hands back items taken but not run, once `halted()`. */
  giveBack(items: T[]): Promise<void>;
  /** How many may run at once, read again as each finishes. */
  limit(): number;
  /** True once nothing more should be taken nor run (stopping, or the far side is down). */
  halted(): boolean;
  /** True if more may have arrived since it was last asked. */
  woken(): boolean;
}

export interface PipelineSizes {
  /** Items per `take`, asked for when fewer than `limit()` wait to run. */
  take: number;
  /** Finished results are settled once this many wait ... */
  settleCount: number;
  /** ... or the oldest has waited this long. */
  settleMs: number;
  /** Least time between two takes once one came back short. */
  takeGapMs: number;
}

/**
 * Keeps up to `limit()` items running, taking more before the running set runs dry and settling
 * finished ones in small groups as it goes, so no slow item holds up the rest (no batch barrier).
 * Returns once a take came back short, nothing woke it since, and everything taken is settled.
 * A failed take or settle ends it: the running items finish, the rest is left to the lease, and it throws.
 */
export async function runPipeline<T, R>(steps: PipelineSteps<T, R>, sizes: PipelineSizes): Promise<void> {
  const waiting: T[] = [];
  const finished: R[] = [];
  let oldestFinishedAt = 0;
  let running = 0;
  let dry = false;
  let wanted = false;
  let lastTakeAt = 0;
  let ioBusy = false;
  let failure: { err: unknown } | undefined;
  let nudge = () => {};

  const io = (op: () => Promise<void>) => {
    ioBusy = true;
    op()
      .catch((err: unknown) => {
        failure ??= { err };
      })
      .finally(() => {
        ioBusy = false;
        nudge();
      });
  };
  const start = (item: T) => {
    running++;
    void steps.run(item).then((result) => {
      running--;
      if (finished.length === 0) oldestFinishedAt = Date.now();
      finished.push(result);
      nudge();
    });
  };

  for (;;) {
    const halted = failure !== undefined || steps.halted();
    if (!halted) while (waiting.length > 0 && (running === 0 || running < steps.limit())) start(waiting.shift() as T);
    if (dry && !wanted && steps.woken()) wanted = true;
    const now = Date.now();
    if (!ioBusy && failure === undefined) {
      const settleDue =
        finished.length >= sizes.settleCount ||
        (finished.length > 0 && (now - oldestFinishedAt >= sizes.settleMs || (running === 0 && (dry || halted))));
      const takeDue =
        !halted && waiting.length < steps.limit() && (!dry || (wanted && now - lastTakeAt >= sizes.takeGapMs));
      if (halted && waiting.length > 0) {
        const back = waiting.splice(0);
        io(() => steps.giveBack(back));
      } else if (takeDue && !(settleDue && finished.length >= sizes.settleCount)) {
        lastTakeAt = now;
        wanted = false;
        io(async () => {
          const items = await steps.take(sizes.take);
          dry = items.length < sizes.take;
          waiting.push(...items);
        });
      } else if (settleDue) {
        const group = finished.splice(0, sizes.settleCount);
        oldestFinishedAt = now;
        io(() => steps.settle(group));
      }
    }
    if (!ioBusy && running === 0) {
      if (failure !== undefined) break;
      if (waiting.length === 0 && finished.length === 0 && (halted || (dry && !wanted))) break;
    }
    const wait = wanted ? sizes.takeGapMs : finished.length > 0 ? sizes.settleMs : undefined;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      nudge = resolve;
      if (wait !== undefined) timer = setTimeout(resolve, wait);
    });
    clearTimeout(timer);
  }
  if (failure !== undefined) throw failure.err;
}
