import { DelayedError, UnrecoverableError, type Job } from 'bullmq'
import type { AppContext } from '../context.ts'
import { replySchema } from '../messages/reply.ts'
import { PlatformError } from '../platforms/errors.ts'
import type { Processor } from '../jobs/workers.ts'
import type { QueuePayloads } from '../jobs/queues.ts'
import { markDelivered, markTried, readDeliveryRows } from './delivery-row.ts'
import type { DestinationLimiter } from './destination-limiter.ts'
import { OUTBOUND_ATTEMPTS } from './outbox.ts'
import type { Delivery, Senders } from './senders.ts'

/**
 * Delivers one outgoing message row. Ends in exactly one of: delivered; delayed (destination over
 * its budget or throttled by the platform — no attempt used); retried with backoff (network, 5xx);
 * dead letter (permanent error, or retries exhausted), which stays visible to admins.
 */
export function outboundProcessor(ctx: AppContext, senders: Senders, limiter: DestinationLimiter): Processor<'outbound'> {
  return async (job) => {
    const id = job.data.outgoingMessageId
    // Two statements when all goes well: this read and the final mark. One job per row (its id)
    // is what keeps two workers from sending the same message, so no claim is written before the
    // send: a write costs a WAL flush, the largest share of a delivery's time in PostgreSQL.
    const rows = await readDeliveryRows(ctx, id)
    if (!rows || rows.message.status === 'delivered' || rows.message.status === 'dead') return 'already settled'
    const { message } = rows

    const delivery: Delivery = { ...rows, reply: replySchema.parse(message.payload) }
    const sender = senders[message.platform]
    const budget = sender.limitFor(delivery)
    if (budget) {
      const wait = await limiter.acquire(budget.bucket, budget.limit, Date.now())
      if (wait > 0) return delay(job, Date.now() + wait)
    }

    try {
      await sender.deliver(delivery)
    } catch (error) {
      const reason = describe(error)
      if (error instanceof PlatformError && error.kind === 'throttled') {
        const until = Date.now() + (error.retryAfterMs ?? 60_000)
        if (budget) await limiter.pause(budget.bucket, until)
        await markTried(ctx, id, { status: 'pending', lastError: reason })
        ctx.log.warn({ outgoingMessageId: id, platform: message.platform }, 'platform throttled: delivery delayed')
        return delay(job, until)
      }
      const permanent = error instanceof PlatformError && error.kind === 'permanent'
      const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? OUTBOUND_ATTEMPTS)
      if (permanent || lastTry) {
        await markTried(ctx, id, { status: 'dead', lastError: reason })
        ctx.log.error({ outgoingMessageId: id, tenantId: message.tenantId, platform: message.platform, reason }, 'message could not be delivered: dead letter')
        throw new UnrecoverableError(reason)
      }
      await markTried(ctx, id, { status: 'pending', lastError: reason })
      throw error
    }

    await markDelivered(ctx, id, new Date())
    ctx.log.info({ outgoingMessageId: id, tenantId: message.tenantId, platform: message.platform, attempts: message.attempts + 1 }, 'message delivered')
    return 'delivered'
  }
}

/** Puts the job back without using an attempt (BullMQ's manual delay). */
async function delay(job: Job<QueuePayloads['outbound']>, until: number): Promise<never> {
  await job.moveToDelayed(until, job.token)
  throw new DelayedError()
}

function describe(error: unknown): string {
  if (error instanceof PlatformError) return `${error.platform} ${error.kind}${error.code !== undefined ? ` ${error.code}` : ''}: ${error.message}`
  return error instanceof Error ? error.message : String(error)
}
