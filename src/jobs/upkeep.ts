import { randomUUID } from 'node:crypto'
import type { AppContext } from '../context.ts'
import { reconcileQueues } from './reconcile.ts'
import { syncSummarySchedulers } from './summaries.ts'

/** How often each worker process checks the schedulers and offers to reconcile. */
export const UPKEEP_EVERY_MS = 10_000
/** Held by whichever process reconciles, and left to expire: about one pass per period across all processes. */
const RECONCILE_LOCK_MS = 9_000
const REDIS_TIMEOUT_MS = 2000

export const FOLLOW_UP_SWEEP_EVERY_MS = 5 * 60_000
export const PURGE_INBOUND_EVERY_MS = 60 * 60_000
/** Each tenant's audit runs at its own local time; a per-minute sweep finds those due (a row per tenant and day keeps it once). */
export const BOOKING_AUDIT_EVERY_MS = 60_000
/** Expired workspace sessions are useless rows; an hourly sweep keeps the table to the live ones. */
export const SESSION_SWEEP_EVERY_MS = 60 * 60_000

/** The periodic sweeps BullMQ runs, one scheduler each, shared by all processes. */
const schedulers = [
  { id: 'follow-ups', every: FOLLOW_UP_SWEEP_EVERY_MS, task: 'follow-ups' },
  { id: 'purge-inbound', every: PURGE_INBOUND_EVERY_MS, task: 'purge-inbound' },
  { id: 'booking-audit', every: BOOKING_AUDIT_EVERY_MS, task: 'booking-audit' },
  { id: 'expired-sessions', every: SESSION_SWEEP_EVERY_MS, task: 'expired-sessions' },
] as const

export interface QueueUpkeep {
  stop(): void
}

/**
 * Keeps Redis in line with the database from inside each worker process, so nothing depends on
 * Redis remembering a schedule: every few seconds it re-registers any scheduler found missing
 * (a flush or a Redis restart without persistence loses them) and, if no other process did so
 * within the period, reconciles the queues. The first pass starts at once, in the background.
 * The lock only spares the database duplicate passes; correctness comes from the rows.
 */
export function startQueueUpkeep(ctx: AppContext): QueueUpkeep {
  let running = false
  let timer: NodeJS.Timeout | null = null
  const stop = () => {
    if (timer) clearInterval(timer)
    timer = null
  }
  const tick = async () => {
    if (running) return
    if (ctx.queues.maintenance.closing) return stop()
    running = true
    try {
      await ensureSchedulers(ctx)
      await syncSummarySchedulers(ctx)
      if (await takeReconcileTurn(ctx)) {
        const queued = await reconcileQueues(ctx)
        if (queued.inbound + queued.outbound + queued.reminders) ctx.log.info(queued, 'queues reconciled with the database')
      }
    } catch (error) {
      ctx.log.warn({ err: (error as Error).message }, 'queue upkeep could not finish; it tries again shortly')
    } finally {
      running = false
    }
  }
  timer = setInterval(() => void tick(), UPKEEP_EVERY_MS)
  timer.unref()
  setImmediate(() => void tick())
  return { stop }
}

/** Registers each scheduler that Redis does not know (upserting an existing one would move its next run). */
export async function ensureSchedulers(ctx: AppContext): Promise<void> {
  for (const { id, every, task } of schedulers) {
    if (await ctx.queues.maintenance.getJobScheduler(id)) continue
    await ctx.queues.maintenance.upsertJobScheduler(id, { every }, { name: id, data: { task } })
    ctx.log.info({ scheduler: id }, 'registered a missing job scheduler')
  }
}

async function takeReconcileTurn(ctx: AppContext): Promise<boolean> {
  const key = `${ctx.config.REDIS_PREFIX}:reconcile-turn`
  const taken = await Promise.race([
    ctx.redis.set(key, randomUUID(), 'PX', RECONCILE_LOCK_MS, 'NX'),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), REDIS_TIMEOUT_MS).unref()),
  ])
  return taken === 'OK'
}
