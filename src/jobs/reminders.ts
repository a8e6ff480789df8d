import { DelayedError } from 'bullmq'
import type { AppContext } from '../context.ts'
import type { Notification } from '../domain/notifications.ts'
import { deliverNotifications } from '../outbox/notify.ts'
import type { Processor } from './workers.ts'

/**
 * What the domain does when a reminder comes due: re-read the world and say what needs saying
 * (once). `not_due` means the job ran before the reminder's time (clocks disagree): try again then.
 */
export type FireReminder = (reminderId: string) => Promise<{ outcome?: string; reminder?: { dueAt: Date } | null; notifications: Notification[] }>

export interface ReminderRef {
  id: string
  dueAt: Date
}

/**
 * Reminder rows are the truth; a BullMQ delayed job with the row's id makes them fire on time.
 * Scheduling twice is harmless (same job id), and a lost job is rebuilt by the reconciler.
 */
export async function scheduleReminders(ctx: AppContext, reminders: ReminderRef[]): Promise<void> {
  for (const reminder of reminders) {
    await ctx.queues.reminders.add(
      'fire',
      { reminderId: reminder.id },
      { jobId: reminder.id, delay: Math.max(0, reminder.dueAt.getTime() - Date.now()), attempts: 5, backoff: { type: 'exponential', delay: 2000 } },
    )
  }
}

/** Drops the jobs of cancelled reminders; a job already running re-reads its row and skips. */
export async function unscheduleReminders(ctx: AppContext, reminderIds: string[]): Promise<void> {
  for (const id of reminderIds) await ctx.queues.reminders.remove(id).catch(() => 0)
}

export function reminderProcessor(ctx: AppContext, fire: FireReminder): Processor<'reminders'> {
  return async (job) => {
    const result = await fire(job.data.reminderId)
    if (result.outcome === 'not_due' && result.reminder) {
      await job.moveToDelayed(Math.max(result.reminder.dueAt.getTime(), Date.now() + 1000), job.token)
      throw new DelayedError()
    }
    await deliverNotifications(ctx, result.notifications)
    return result.outcome ?? (result.notifications.length ? 'sent' : 'skipped')
  }
}

/**
 * Fires every pending reminder due by `now` (the tenant clock), without waiting for BullMQ's timers.
 * Used by tests that drive time by hand, and by the reconciler as a safety net.
 */
export async function runDueReminders(ctx: AppContext, fire: FireReminder, now: Date): Promise<number> {
  const due = await ctx.prisma.reminder.findMany({ where: { status: 'pending', dueAt: { lte: now } }, orderBy: { dueAt: 'asc' }, select: { id: true } })
  let sent = 0
  for (const { id } of due) {
    const { notifications } = await fire(id)
    await deliverNotifications(ctx, notifications)
    if (notifications.length) sent++
  }
  return sent
}
