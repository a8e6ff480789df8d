import type { AppContext } from '../context.ts'
import { queueReminderPage, queueMissingReminders, REMINDER_HORIZON_MS, type ReminderRef } from './reminders.ts'
import { liveJobCount } from './requeue.ts'

/** Rows read and jobs added per round trip: big enough to be cheap, small enough to keep memory flat. */
export const RECONCILE_PAGE_SIZE = 2000
/** A pass looks again at this many of the oldest pending reminders already due (lost or failed jobs). */
const OVERDUE_RECHECK_LIMIT = 2000

export interface ReminderPass {
  /** Jobs added for reminders newly inside the horizon. */
  queued: number
  /** Reminders already due whose job was gone or finished, queued again. */
  requeued: number
  /** Reminder rows this pass read from the database. */
  rowsRead: number
}

/**
 * Keeps a delayed job for every pending reminder due within the horizon, at a cost in proportion
 * to what changed. Redis remembers how far ahead the reminders were queued (the watermark); each
 * pass queues only those due after it, up to now + horizon, in pages, and moves it on. Reminders
 * created or moved inside the horizon are queued by their command at once, so the watermark never
 * has to look back. A missing watermark (a flush, a Redis restart) means nothing is known: start
 * from the beginning. Jobs lost some other way are caught once their reminder is due and still
 * pending, by a re-check that reads rows only when Redis holds fewer jobs than are due. The row, not the job, still decides whether a reminder fires.
 */
export async function reconcileReminders(ctx: AppContext, now: Date): Promise<ReminderPass> {
  const key = watermarkKey(ctx)
  const through = now.getTime() + REMINDER_HORIZON_MS
  const stored = Number(await ctx.redis.get(key))
  // A watermark beyond the horizon cannot come from this clock (one moved back): trust nothing.
  const from = Number.isFinite(stored) && stored > 0 && stored <= through ? stored : null
  const pass: ReminderPass = { queued: 0, requeued: 0, rowsRead: 0 }

  let cursor: ReminderRef | null = null
  for (;;) {
    const page = await pendingPage(ctx, from, through, cursor)
    pass.rowsRead += page.length
    if (!page.length) break
    pass.queued += await queueReminderPage(ctx, page)
    cursor = page[page.length - 1]
    if (page.length < RECONCILE_PAGE_SIZE) break
    // Progress survives a pass that stops half way; rows sharing the last due time are read again.
    await ctx.redis.set(key, String(cursor.dueAt.getTime() - 1))
  }
  await ctx.redis.set(key, String(through))

  const overdue = await overdueWithoutJob(ctx, now)
  pass.rowsRead += overdue.length
  pass.requeued = await queueMissingReminders(ctx, overdue)
  return pass
}

/**
 * Due reminders still pending whose job may be gone (lost, or failed for good). Each should have a
 * job BullMQ runs by now (waiting, running, or delayed until no later than now); when Redis holds
 * at least as many, none is missing and no row is read. A job too many is short-lived (it runs,
 * finds its row settled, and finishes), so the counts cannot hide a lost job for long. Otherwise
 * the oldest are read, a bounded page per pass, and checked one by one in one round trip.
 */
async function overdueWithoutJob(ctx: AppContext, now: Date): Promise<ReminderRef[]> {
  const due = { status: 'pending' as const, dueAt: { lte: now } }
  const [rows, jobs] = await Promise.all([ctx.prisma.reminder.count({ where: due }), liveJobCount(ctx.queues.reminders, now.getTime())])
  if (jobs >= rows) return []
  return ctx.prisma.reminder.findMany({ where: due, orderBy: { dueAt: 'asc' }, select: { id: true, dueAt: true }, take: OVERDUE_RECHECK_LIMIT })
}

export const watermarkKey = (ctx: AppContext) => `${ctx.config.REDIS_PREFIX}:reminders:queued-through`

/** Pending reminders due in (from, through], after the cursor, in (dueAt, id) order (the status/dueAt index). */
function pendingPage(ctx: AppContext, from: number | null, through: number, cursor: ReminderRef | null): Promise<ReminderRef[]> {
  const after = cursor ? { OR: [{ dueAt: { gt: cursor.dueAt } }, { dueAt: cursor.dueAt, id: { gt: cursor.id } }] } : {}
  return ctx.prisma.reminder.findMany({
    where: { status: 'pending', dueAt: { ...(from === null ? {} : { gt: new Date(from) }), lte: new Date(through) }, ...after },
    orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
    select: { id: true, dueAt: true },
    take: RECONCILE_PAGE_SIZE,
  })
}
