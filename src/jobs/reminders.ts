import type { AppContext } from '../context.ts'
import type { Notification } from '../domain/notifications.ts'
import { deliverNotifications } from '../outbox/notify.ts'
import type { Processor } from './workers.ts'

/** What the domain does when a reminder comes due: re-read the world and say what needs saying (once). */
export type FireReminder = (reminderId: string) => Promise<{ notifications: Notification[] }>

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
    const { notifications } = await fire(job.data.reminderId)
    await deliverNotifications(ctx, notifications)
    return notifications.length ? 'sent' : 'skipped'
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
