import type { AppContext } from '../context.ts'
import type { Effects } from '../domain/tickets.ts'
import { deliverNotifications, exceptGroup } from '../outbox/notify.ts'
import { scheduleReminders, unscheduleReminders } from './reminders.ts'

/**
 * Acts on what a committed domain operation asks for: reminder jobs to add or drop, messages to
 * send. `exceptGroupId` drops notifications to the group where the command was typed, since the
 * command's own reply already says it there.
 */
export async function applyEffects(ctx: AppContext, effects: Effects, options: { exceptGroupId?: string } = {}): Promise<void> {
  // The rows are committed: if Redis cannot take the jobs now, reconciliation queues them, and a
  // job left for a cancelled reminder finds its row cancelled and does nothing.
  await scheduleReminders(ctx, effects.reminders.scheduled).catch((error) => logDeferred(ctx, 'schedule', error))
  await unscheduleReminders(ctx, effects.reminders.cancelled).catch((error) => logDeferred(ctx, 'unschedule', error))
  await deliverNotifications(ctx, exceptGroup(effects.notifications, options.exceptGroupId))
}

function logDeferred(ctx: AppContext, what: string, error: unknown): void {
  ctx.log.warn({ err: (error as Error).message }, `could not ${what} reminder jobs; reconciliation will`)
}
