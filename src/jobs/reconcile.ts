import type { AppContext } from '../context.ts'
import { inboundJobOptions } from '../inbox/accept.ts'
import { outboundJob } from '../outbox/outbox.ts'
import { reconcileReminders } from './reminder-reconcile.ts'
import { liveJobCount, queueMissing } from './requeue.ts'

/** Fresh events are still in their batch job; only those left behind for a while need a new one. */
const STALE_INBOUND_MS = 30_000
/** A command that committed but lost its reply is looked for this far back. */
const LOST_REPLY_WINDOW_MS = 15 * 60_000
/** At most this many inbound events and messages per pass; the next pass takes the rest. */
const MAX_PER_PASS = 5000

/**
 * Rebuilds the queues from the database: every row whose work is not done gets a live job back,
 * even when BullMQ still holds a finished job of the same id. The rows decide whether the work
 * runs, so a job queued twice is harmless. It costs what is missing or due soon: reminders are
 * read once, as they enter the horizon (src/jobs/reminder-reconcile.ts), and unfinished rows only
 * when Redis holds fewer jobs than there are rows to run.
 *
 * `now` is the time whose horizon is queued (the wall clock, as BullMQ's timers are).
 */
export async function reconcileQueues(ctx: AppContext, options: { now?: Date } = {}): Promise<{ inbound: number; outbound: number; reminders: number }> {
  const now = options.now ?? new Date()
  const stale = new Date(Date.now() - STALE_INBOUND_MS)
  const inbound = await ctx.prisma.inboundEvent.findMany({
    where: {
      receivedAt: { lt: stale },
      OR: [{ status: 'received' }, { status: 'processed', processedAt: null, receivedAt: { gt: new Date(Date.now() - LOST_REPLY_WINDOW_MS) } }],
    },
    select: { id: true },
    take: MAX_PER_PASS,
  })
  const inboundQueued = await queueMissing(
    ctx.redis,
    ctx.queues.inbound,
    'handle',
    inbound.map(({ id }) => ({ id, data: { inboundEventIds: [id] }, opts: inboundJobOptions })),
  )

  const outboundQueued = await queueMissing(ctx.redis, ctx.queues.outbound, 'deliver', (await undeliveredWithoutJob(ctx)).map(({ id }) => outboundJob(id)))

  const reminders = await reconcileReminders(ctx, now)

  return { inbound: inboundQueued, outbound: outboundQueued, reminders: reminders.queued + reminders.requeued }
}

/**
 * Messages not yet delivered (pending, or sending when an attempt died) whose job may be gone.
 * Each has a job BullMQ runs by itself, retries and throttled ones delayed; when Redis holds at
 * least as many, none is missing and no row is read (a job too many is short-lived: it finds its
 * row settled and finishes). Otherwise the oldest are read, a bounded page per pass.
 */
async function undeliveredWithoutJob(ctx: AppContext): Promise<{ id: string }[]> {
  const undelivered = { status: { in: ['pending' as const, 'sending' as const] } }
  const [rows, jobs] = await Promise.all([ctx.prisma.outgoingMessage.count({ where: undelivered }), liveJobCount(ctx.queues.outbound)])
  if (jobs >= rows) return []
  return ctx.prisma.outgoingMessage.findMany({ where: undelivered, orderBy: { createdAt: 'asc' }, select: { id: true }, take: MAX_PER_PASS })
}
