export interface BatcherOptions {
  maxItems: number
  maxInFlight: number
  eagerFlushes?: number
  minItemsWhileBusy?: number
}

/**
 * Group commit: calls that arrive while earlier batches are being flushed wait and go together in
 * the next batch. Alone, a call is flushed at once (no added latency); under load, batches grow
 * by themselves, turning N round trips into one. The first `eagerFlushes` in flight start as soon
 * as a call waits; beyond them (up to `maxInFlight`) one starts only once `minItemsWhileBusy`
 * calls wait, so spare flushes are not spent on a few calls each. Each caller gets its own
 * result, or the error of its batch.
 */
export function createBatcher<In, Out>(flush: (items: In[]) => Promise<Out[]>, options: BatcherOptions) {
  type Waiting = { item: In; resolve: (out: Out) => void; reject: (error: unknown) => void }
  let pending: Waiting[] = []
  let inFlight = 0
  let scheduled = false
  const { maxInFlight, eagerFlushes = maxInFlight, minItemsWhileBusy = 1 } = options
  const canFlush = () => pending.length > 0 && inFlight < maxInFlight && (inFlight < eagerFlushes || pending.length >= minItemsWhileBusy)

  const run = () => {
    scheduled = false
    while (canFlush()) {
      const batch = pending.splice(0, options.maxItems)
      inFlight++
      flush(batch.map((w) => w.item))
        .then(
          (results) => batch.forEach((w, i) => w.resolve(results[i])),
          (error) => batch.forEach((w) => w.reject(error)),
        )
        .finally(() => {
          inFlight--
          schedule()
        })
    }
  }

  // Calls made in the same tick (one socket read can carry several requests) share a batch.
  const schedule = () => {
    if (scheduled || !canFlush()) return
    scheduled = true
    setImmediate(run)
  }

  return (item: In): Promise<Out> =>
    new Promise<Out>((resolve, reject) => {
      pending.push({ item, resolve, reject })
      schedule()
    })
}

/**
 * One batcher per owner (a process's context, say), made on first use: calls for different
 * owners never share a batch. `flush` gets the owner with the batch.
 */
export function batcherPerOwner<Owner extends object, In, Out>(flush: (owner: Owner, items: In[]) => Promise<Out[]>, options: BatcherOptions) {
  const batchers = new WeakMap<Owner, (item: In) => Promise<Out>>()
  return (owner: Owner, item: In): Promise<Out> => {
    let batch = batchers.get(owner)
    if (!batch) {
      batch = createBatcher((items: In[]) => flush(owner, items), options)
      batchers.set(owner, batch)
    }
    return batch(item)
  }
}
