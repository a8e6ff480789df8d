import { DelayedError, type Job } from 'bullmq'
import type { AppContext } from '../context.ts'
import { createBatcher } from '../batcher.ts'
import { withinCommand } from '../db/command-scope.ts'
import type { Notification } from '../domain/notifications.ts'
import { isDatabaseUnavailable } from '../errors.ts'
import { deliverNotifications, storeNotifications } from '../outbox/notify.ts'
import type { QueuePayloads } from './queues.ts'
import { queueMissing, type JobEntry } from './requeue.ts'
import type { Processor } from './workers.ts'

/**
 * What the domain does when a reminder comes due: re-read the world and say what needs saying
 * (once). `not_due` means the job ran before the reminder's time (clocks disagree): try again then.
 */
export type FireReminder = (reminderId: string) => Promise<{
  outcome?: string
  reminder?: { dueAt: Date; kind?: string; firedAt?: Date | null } | null
  notifications: Notification[]
  /** Reminder rows the firing created or dropped (a waitlist offer's expiry, the next morning's chase). */
  reminders?: { scheduled: ReminderRef[]; cancelled: string[] }
}>

/** Fires several reminders in one transaction; one result per id, in order. */
export type FireReminders = (reminderIds: string[]) => Promise<Awaited<ReturnType<FireReminder>>[]>

export interface ReminderRef {
  id: string
  dueAt: Date
}

/**
 * Redis holds only the reminders due within this horizon; the reconciler brings the others in as
 * they enter it, so Redis stays small and a flush costs one pass over what is due soon.
 */
export const REMINDER_HORIZON_MS = 15 * 60_000

export const REMINDER_ATTEMPTS = 5
const reminderJobOptions = { attempts: REMINDER_ATTEMPTS, backoff: { type: 'exponential', delay: 2000 } }
/** While the database cannot be reached, a reminder waits this long and tries again, using no attempt. */
const DATABASE_RETRY_MS = 5000

export function reminderJob(reminder: ReminderRef, now = Date.now()): JobEntry<QueuePayloads['reminders']> {
  return { id: reminder.id, data: { reminderId: reminder.id }, opts: { ...reminderJobOptions, delay: Math.max(0, reminder.dueAt.getTime() - now) } }
}

/**
 * Reminder rows are the truth; a BullMQ delayed job with the row's id makes them fire on time.
 * Only those due within the horizon are queued now; scheduling twice is harmless (same job id).
 */
export async function scheduleReminders(ctx: AppContext, reminders: ReminderRef[]): Promise<void> {
  const now = Date.now()
  await queueReminderPage(ctx, reminders.filter((reminder) => reminder.dueAt.getTime() <= now + REMINDER_HORIZON_MS), now)
}

/**
 * Adds a job for each reminder in one round trip. An id BullMQ already holds is left as it is
 * (the reconciler's overdue re-check replaces finished ones). Returns how many were given.
 */
export async function queueReminderPage(ctx: AppContext, reminders: ReminderRef[], now = Date.now()): Promise<number> {
  if (!reminders.length) return 0
  await ctx.queues.reminders.addBulk(reminders.map((reminder) => reminderJob(reminder, now)).map(({ id, data, opts }) => ({ name: 'fire', data, opts: { ...opts, jobId: id } })))
  return reminders.length
}

/** Queues the given reminders unless a live job already holds each (finished ones are replaced). */
export function queueMissingReminders(ctx: AppContext, reminders: ReminderRef[]): Promise<number> {
  const now = Date.now()
  return queueMissing(ctx.redis, ctx.queues.reminders, 'fire', reminders.map((reminder) => reminderJob(reminder, now)))
}

/** Drops the jobs of cancelled reminders; a job already running re-reads its row and skips. */
export async function unscheduleReminders(ctx: AppContext, reminderIds: string[]): Promise<void> {
  for (const id of reminderIds) await ctx.queues.reminders.remove(id).catch(() => 0)
}

export function reminderProcessor(ctx: AppContext, fire: FireReminder, fireMany?: FireReminders): Processor<'reminders'> {
  const fireOne = (reminderId: string) => fireStoringMessages(() => fire(reminderId))
  const fireSoon = fireMany ? batchedFiring(ctx, fireOne, fireMany) : fireOne
  return async (job) => {
    const reminderId = job.data.reminderId
    let result: Awaited<ReturnType<FireReminder>>
    try {
      result = await fireSoon(reminderId)
    } catch (error) {
      // An unreachable database is no reason to give up: wait for it without using an attempt.
      if (isDatabaseUnavailable(error)) return retryLater(job, Date.now() + DATABASE_RETRY_MS)
      const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? REMINDER_ATTEMPTS)
      // A reminder that cannot fire for another reason stops here, visibly, instead of being re-queued forever.
      if (lastTry) await ctx.prisma.reminder.updateMany({ where: { id: reminderId, status: 'pending' }, data: { status: 'failed', lastError: (error as Error).message } })
      throw error
    }
    if (result.outcome === 'not_due' && result.reminder) return retryLater(job, Math.max(result.reminder.dueAt.getTime(), Date.now() + 1000))
    // The messages are stored with the firing; should queueing fail now, reconciliation queues them.
    await deliverNotifications(ctx, result.notifications).catch((error) => ctx.log.warn({ reminderId, err: (error as Error).message }, 'could not queue a reminder message; reconciliation will'))
    // Rows this firing created are queued now rather than at the reconciler's next pass.
    if (result.reminders) await applyReminderChanges(ctx, result.reminders).catch((error) => ctx.log.warn({ reminderId, err: (error as Error).message }, 'could not queue the reminders a firing planned; reconciliation will'))
    if (result.outcome === 'sent' || result.notifications.length) logFired(ctx, reminderId, result.reminder)
    return result.outcome ?? (result.notifications.length ? 'sent' : 'skipped')
  }
}

async function applyReminderChanges(ctx: AppContext, changes: NonNullable<Awaited<ReturnType<FireReminder>>['reminders']>): Promise<void> {
  await scheduleReminders(ctx, changes.scheduled)
  await unscheduleReminders(ctx, changes.cancelled)
}

/** The notifications a firing causes are stored in its own transaction: a crash right after it loses none. */
function fireStoringMessages<T>(fire: () => Promise<T>): Promise<T> {
  return withinCommand({ after: (tx, result) => storeNotifications(tx, (result as Partial<Awaited<ReturnType<FireReminder>>> | null)?.notifications ?? []) }, fire)
}

/**
 * Batches: up to 16 firings in a transaction, two batches start as soon as firings wait, and up
 * to two more once four wait. Alone, a firing goes at once; when thousands fall due, each commit
 * carries many (one commit per firing held 10,000 due in 30 s to about 200 fired a second).
 */
const FIRING_BATCHES = { maxItems: 16, maxInFlight: 4, eagerFlushes: 2, minItemsWhileBusy: 4 }

type Fired = { result: Awaited<ReturnType<FireReminder>> } | { error: unknown }

/**
 * Firings that wait together go in one transaction. Should one of them fail, the batch rolls back
 * and each fires alone, so a bad reminder costs only its own job; an unreachable database fails
 * them all, and each job waits for it as a lone firing would.
 */
function batchedFiring(ctx: AppContext, fireOne: (reminderId: string) => ReturnType<FireReminder>, fireMany: FireReminders) {
  const settle = (reminderId: string): Promise<Fired> => fireOne(reminderId).then((result) => ({ result }), (error: unknown) => ({ error }))
  const fireBatch = createBatcher(async (reminderIds: string[]): Promise<Fired[]> => {
    if (reminderIds.length === 1) return [await settle(reminderIds[0])]
    try {
      return (await fireStoringMessages(() => fireMany(reminderIds))).map((result) => ({ result }))
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw error
      ctx.log.warn({ reminders: reminderIds.length, err: (error as Error).message }, 'a batch of reminders failed; firing each alone')
      return Promise.all(reminderIds.map(settle))
    }
  }, FIRING_BATCHES)
  return async (reminderId: string) => {
    const fired = await fireBatch(reminderId)
    if ('error' in fired) throw fired.error
    return fired.result
  }
}

function logFired(ctx: AppContext, reminderId: string, reminder: Awaited<ReturnType<FireReminder>>['reminder']): void {
  const firedAt = reminder?.firedAt ?? new Date()
  const lateMs = reminder ? Math.max(0, firedAt.getTime() - reminder.dueAt.getTime()) : 0
  ctx.log.info({ reminderId, kind: reminder?.kind, lateMs }, 'reminder fired')
}

/** Puts the job back for later without using an attempt (BullMQ's manual delay). */
async function retryLater(job: Job<QueuePayloads['reminders']>, until: number): Promise<never> {
  await job.moveToDelayed(until, job.token)
  throw new DelayedError()
}

/**
 * Fires every pending reminder due by `now` (the tenant clock), without waiting for BullMQ's timers.
 * Used by tests that drive time by hand.
 */
export async function runDueReminders(ctx: AppContext, fire: FireReminder, now: Date): Promise<number> {
  const due = await ctx.prisma.reminder.findMany({ where: { status: 'pending', dueAt: { lte: now } }, orderBy: { dueAt: 'asc' }, select: { id: true } })
  let sent = 0
  for (const { id } of due) {
    const { notifications } = await fireStoringMessages(() => fire(id))
    await deliverNotifications(ctx, notifications)
    if (notifications.length) sent++
  }
  return sent
}
