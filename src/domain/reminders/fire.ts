import { fireBookingReminder } from '../bookings/fire-reminder.ts'
import { fireComplaintReminder } from '../complaints/fire.ts'
import { fireFollowUpReminder } from '../follow-ups/fire.ts'
import { fireReminder as fireRepairReminder } from '../tickets/fire-reminder.ts'
import type { Reminder } from '../../generated/prisma/client.ts'
import type { Tx } from '../tickets/types.ts'
import type { FireResult } from './claim.ts'

/** Each family of reminder kinds ("repair.…", "complaint.…", "followup.…") and who fires it, given the row already read. */
const byFamily: Record<string, (tx: Tx, now: Date, reminderId: string, read: Reminder) => Promise<FireResult>> = {
  repair: fireRepairReminder,
  complaint: fireComplaintReminder,
  followup: fireFollowUpReminder,
  booking: fireBookingReminder,
}

/**
 * Fires one reminder row, whatever it is about: the kind's family picks the handler, and every
 * handler claims the row with the same conditional UPDATE, so each fires exactly once. The row is
 * read once, here, and handed on: the firing is the hot path when thousands fall due together.
 */
export async function fireAnyReminder(tx: Tx, now: Date, reminderId: string): Promise<FireResult> {
  const row = await tx.reminder.findUnique({ where: { id: reminderId } })
  return row ? fireReadReminder(tx, now, row) : { outcome: 'not_found', reminder: null, notifications: [] }
}

/** Fires a reminder row the caller has just read (a batch reads all of its rows at once). */
export function fireReadReminder(tx: Tx, now: Date, row: Reminder): Promise<FireResult> {
  const fire = byFamily[row.kind.split('.')[0]]
  return fire ? fire(tx, now, row.id, row) : Promise.resolve({ outcome: 'not_found', reminder: null, notifications: [] })
}
