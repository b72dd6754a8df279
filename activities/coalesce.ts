interface Waiter<K, V> {
  key: K;
  resolve(value: V): void;
  reject(err: unknown): void;
}

/**
 * Many callers, one statement: calls made while a batch runs wait and go together in the next
 * one (up to `maxBatch`), like a group commit. A batch that fails fails each of its callers.
 * `run` answers one value per key, in order.
 */
export function coalesce<K, V>(run: (keys: K[]) => Promise<V[]>, maxBatch: number): (key: K) => Promise<V> {
  const waiting: Waiter<K, V>[] = [];
  let running = false;

  async function drain(): Promise<void> {
    if (running || waiting.length === 0) return;
    running = true;
    const batch = waiting.splice(0, maxBatch);
    try {
      const values = await run(batch.map((w) => w.key));
      batch.forEach((w, i) => w.resolve(values[i]));
    } catch (err) {
      for (const w of batch) w.reject(err);
    } finally {
      running = false;
      void drain();
    }
  }

  return (key) =>
    new Promise<V>((resolve, reject) => {
      waiting.push({ key, resolve, reject });
      // Callers arriving in the same turn of the event loop share the first batch too.
      setImmediate(() => void drain());
    });
}
