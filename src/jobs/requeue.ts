import type { BulkJobOptions, Queue } from 'bullmq'
import type { Redis } from 'ioredis'

export interface JobEntry<Data> {
  /** The job id: the row's id, so one live job per row. */
  id: string
  data: Data
  opts?: BulkJobOptions
}

type AnyQueue<Data> = Queue<Data, unknown, string>

/**
 * Queues the rows whose job is not alive. Adding a job under an id BullMQ still holds as
 * completed or failed is silently a no-op, so those are removed first: a row that is still
 * pending says the work is not done, whatever Redis remembers. Returns how many were queued.
 */
export async function queueMissing<Data>(redis: Redis, queue: AnyQueue<Data>, name: string, entries: JobEntry<Data>[]): Promise<number> {
  if (!entries.length) return 0
  const states = await jobStates(redis, queue, entries.map((entry) => entry.id))
  const missing = entries.filter((_, i) => states[i] !== 'alive')
  const finished = entries.filter((_, i) => states[i] === 'finished')
  await Promise.all(finished.map((entry) => queue.remove(entry.id)))
  for (let start = 0; start < missing.length; start += BULK_SIZE) {
    const chunk = missing.slice(start, start + BULK_SIZE)
    const jobs = chunk.map((entry) => ({ name, data: entry.data, opts: { ...entry.opts, jobId: entry.id } }))
    await queue.addBulk(jobs as Parameters<typeof queue.addBulk>[0])
  }
  return missing.length
}

const BULK_SIZE = 1000

/**
 * Whether BullMQ holds each job id as still to run, as finished, or not at all, for all ids in one
 * pipelined round trip: the job's hash exists and it is in neither the completed nor the failed
 * set. (Queue#getJobState is a script per id, thousands of round trips for a backlog.)
 */
async function jobStates(redis: Redis, queue: AnyQueue<unknown>, ids: string[]): Promise<('alive' | 'finished' | 'absent')[]> {
  const pipeline = redis.pipeline()
  for (const id of ids) pipeline.exists(queue.toKey(id)).zscore(queue.keys.completed, id).zscore(queue.keys.failed, id)
  const replies = (await pipeline.exec()) ?? []
  return ids.map((_, i) => {
    const [exists, completed, failed] = replies.slice(i * 3, i * 3 + 3).map(([error, value]) => {
      if (error) throw error
      return value
    })
    if (completed !== null || failed !== null) return 'finished'
    return exists ? 'alive' : 'absent'
  })
}

/**
 * How many jobs BullMQ will run by itself: waiting, running, prioritized, and delayed ones (only
 * those due by `dueBy`, when given). The reconciler compares it with the rows that need a job and
 * reads the rows only when Redis holds fewer.
 */
export async function liveJobCount(queue: AnyQueue<unknown>, dueBy?: number): Promise<number> {
  const counts = await queue.getJobCounts('wait', 'active', 'prioritized', 'waiting-children', ...(dueBy === undefined ? (['delayed'] as const) : []))
  const delayed = dueBy === undefined ? 0 : await queue.getDelayedCount(dueBy + 1)
  return Object.values(counts).reduce((sum, n) => sum + n, 0) + delayed
}
