// Group commit for inserts: calls that arrive while earlier batches are in flight wait and go out
// together as one batch, so concurrent requests share one round trip (one multi-row INSERT) instead
// of one each. An idle batcher sends at once, so a lone call waits for nothing. Each caller is answered
// only when its own batch has finished.

export interface BatcherOptions {
  /** Batches running at the same time; later calls queue meanwhile. */
  maxInFlight: number;
  /** Most items in one batch. */
  maxItems: number;
  /**
   * A failed batch of several items is retried one item at a time when this says so (e.g. an item the
   * database refuses), so that one bad item fails only its own caller. Otherwise every caller gets the error.
   */
  retrySingly?: (error: unknown) => boolean;
}

interface Waiting<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/** `run(items)` must resolve with one result per item, in the same order. */
export function createBatcher<T, R>(run: (items: T[]) => Promise<R[]>, options: BatcherOptions): (item: T) => Promise<R> {
  const { maxInFlight, maxItems, retrySingly = () => true } = options;
  if (!(maxInFlight >= 1 && maxItems >= 1)) throw new RangeError('maxInFlight and maxItems must be at least 1');
  const queue: Waiting<T, R>[] = [];
  let inFlight = 0;

  const settle = async (batch: Waiting<T, R>[]) => {
    try {
      const results = await run(batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error(`a batch of ${batch.length} got ${results.length} results`);
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      if (batch.length > 1 && retrySingly(error)) await Promise.all(batch.map((w) => settle([w])));
      else for (const w of batch) w.reject(error);
    }
  };

  const pump = () => {
    while (inFlight < maxInFlight && queue.length) {
      inFlight++;
      void settle(queue.splice(0, maxItems)).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      pump();
    });
}
