/**
 * Group commit for a hot statement. Calls that arrive while `maxInFlight` batches are running wait and
 * go together in the next batch: one statement, one round trip and (for a write) one commit and WAL
 * flush for all of them. A call never waits on a timer, so at low load every batch holds one call and
 * nothing is slower; under load the batches grow by themselves and the work per call shrinks.
 *
 * `run` gets the items and returns one result per item, in the same order. If a batch of several
 * fails, each of its items is run again on its own, so one bad item fails only its own call (a batch
 * statement is atomic: a failed batch changed nothing). Items with the same key never share a batch,
 * so a batch statement need not handle two items for the same row.
 */
export interface BatcherOptions<In, Out> {
  run: (items: In[]) => Promise<Out[]>;
  /** Items with equal keys go in different batches, in arrival order. */
  keyOf: (item: In) => string;
  maxBatch: number;
  maxInFlight: number;
}

interface Waiting<In, Out> {
  item: In;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
}

export function createBatcher<In, Out>(options: BatcherOptions<In, Out>): (item: In) => Promise<Out> {
  if (options.maxBatch < 1 || options.maxInFlight < 1) throw new Error('maxBatch and maxInFlight must be at least 1');
  const queue: Array<Waiting<In, Out>> = [];
  let inFlight = 0;

  const runOne = async (waiting: Waiting<In, Out>) => {
    try {
      const [out] = await options.run([waiting.item]);
      waiting.resolve(out);
    } catch (error) {
      waiting.reject(error);
    }
  };

  const runBatch = async (batch: Array<Waiting<In, Out>>) => {
    let results: Out[];
    try {
      results = await options.run(batch.map((w) => w.item));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      for (const waiting of batch) await runOne(waiting);
      return;
    }
    if (results.length !== batch.length) {
      const error = new Error(`batch returned ${results.length} results for ${batch.length} items`);
      for (const waiting of batch) waiting.reject(error);
      return;
    }
    batch.forEach((waiting, i) => waiting.resolve(results[i]));
  };

  /** The next batch: queued items in arrival order, at most one per key, at most maxBatch. */
  const takeBatch = (): Array<Waiting<In, Out>> => {
    const batch: Array<Waiting<In, Out>> = [];
    const keys = new Set<string>();
    for (let i = 0; i < queue.length && batch.length < options.maxBatch;) {
      const key = options.keyOf(queue[i].item);
      if (keys.has(key)) {
        i++;
        continue;
      }
      keys.add(key);
      batch.push(queue.splice(i, 1)[0]);
    }
    return batch;
  };

  const pump = () => {
    while (inFlight < options.maxInFlight && queue.length > 0) {
      const batch = takeBatch();
      inFlight++;
      void runBatch(batch).finally(() => {
        inFlight--;
        pump();
      });
    }
  };

  return (item: In) =>
    new Promise<Out>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      pump();
    });
}
