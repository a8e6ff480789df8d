import { Worker, type Job, type WorkerOptions } from 'bullmq'
import type { AppContext } from '../context.ts'
import type { QueueName, QueuePayloads } from './queues.ts'

export type Processor<Name extends QueueName> = (job: Job<QueuePayloads[Name]>, worker: Worker) => Promise<unknown>

export type Processors = { [Name in QueueName]?: { process: Processor<Name>; concurrency?: number } }

export interface RunningWorkers {
  workers: Worker[]
  /** Stops taking jobs, lets in-flight ones finish, closes connections. */
  close(): Promise<void>
}

export function startWorkers(ctx: AppContext, processors: Processors): RunningWorkers {
  const workers: Worker[] = []
  for (const [name, entry] of Object.entries(processors) as [QueueName, { process: Processor<QueueName>; concurrency?: number }][]) {
    const options: WorkerOptions = {
      connection: { url: ctx.redisUrl, maxRetriesPerRequest: null },
      prefix: ctx.config.REDIS_PREFIX,
      concurrency: entry.concurrency ?? 8,
    }
    const worker: Worker = new Worker(name, (job) => entry.process(job as Job<QueuePayloads[QueueName]>, worker), options)
    worker.on('failed', (job, error) => ctx.log.warn({ queue: name, jobId: job?.id, err: error.message }, 'job failed'))
    worker.on('error', (error) => ctx.log.error({ queue: name, err: error.message }, 'worker error'))
    workers.push(worker)
  }
  return {
    workers,
    async close() {
      await Promise.all(workers.map((worker) => worker.close()))
    },
  }
}
