/**
 * Gathers concurrent calls into one batch: the first call opens a window of `maxWaitMs`, and the
 * batch is flushed when the window closes or `maxItems` have arrived. Each caller gets its own
 * result (or the batch's error). Under load this turns N round trips into one; alone, a call waits
 * at most `maxWaitMs`.
 */
export function createBatcher<In, Out>(flush: (items: In[]) => Promise<Out[]>, options: { maxItems: number; maxWaitMs: number }) {
  type Waiting = { item: In; resolve: (out: Out) => void; reject: (error: unknown) => void }
  let pending: Waiting[] = []
  let timer: NodeJS.Timeout | null = null

  const run = () => {
    if (timer) clearTimeout(timer)
    timer = null
    const batch = pending
    pending = []
    flush(batch.map((w) => w.item)).then(
      (results) => batch.forEach((w, i) => w.resolve(results[i])),
      (error) => batch.forEach((w) => w.reject(error)),
    )
  }

  return (item: In): Promise<Out> =>
    new Promise<Out>((resolve, reject) => {
      pending.push({ item, resolve, reject })
      if (pending.length >= options.maxItems) run()
      else if (!timer) timer = setTimeout(run, options.maxWaitMs)
    })
}
