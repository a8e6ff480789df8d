/**
 * Group commit: calls that arrive while earlier batches are being flushed wait and go together in
 * the next batch. Alone, a call is flushed at once (no added latency); under load, batches grow
 * by themselves, turning N round trips into one. While a batch is being flushed, another starts
 * only once `minItemsWhileBusy` calls wait (or when none is in flight any more), so spare flushes
 * are not spent on a few calls each. Each caller gets its own result, or the error of its batch.
 */
export function createBatcher<In, Out>(flush: (items: In[]) => Promise<Out[]>, options: { maxItems: number; maxInFlight: number; minItemsWhileBusy?: number }) {
  type Waiting = { item: In; resolve: (out: Out) => void; reject: (error: unknown) => void }
  let pending: Waiting[] = []
  let inFlight = 0
  let scheduled = false
  const minWhileBusy = options.minItemsWhileBusy ?? 1
  const canFlush = () => pending.length > 0 && inFlight < options.maxInFlight && (inFlight === 0 || pending.length >= minWhileBusy)

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
