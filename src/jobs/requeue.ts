import type { BulkJobOptions, Queue } from 'bullmq'

export interface JobEntry<Data> {
  /** The job id: the row's id, so one live job per row. */
  id: string
  data: Data
  opts?: BulkJobOptions
}

/** States in which BullMQ will still run a job by itself. */
const alive = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children'])

/**
 * Queues the rows whose job is not alive. Adding a job under an id BullMQ still holds as
 * completed or failed is silently a no-op, so those are removed first: a row that is still
 * pending says the work is not done, whatever Redis remembers. Returns how many were queued.
 */
export async function queueMissing<Data>(queue: Queue<Data, unknown, string>, name: string, entries: JobEntry<Data>[]): Promise<number> {
  if (!entries.length) return 0
  const states = await Promise.all(entries.map((entry) => queue.getJobState(entry.id)))
  const missing = entries.filter((_, i) => !alive.has(states[i]))
  const finished = entries.filter((_, i) => states[i] === 'completed' || states[i] === 'failed')
  await Promise.all(finished.map((entry) => queue.remove(entry.id)))
  for (let start = 0; start < missing.length; start += BULK_SIZE) {
    const chunk = missing.slice(start, start + BULK_SIZE)
    const jobs = chunk.map((entry) => ({ name, data: entry.data, opts: { ...entry.opts, jobId: entry.id } }))
    await queue.addBulk(jobs as Parameters<typeof queue.addBulk>[0])
  }
  return missing.length
}

const BULK_SIZE = 1000
