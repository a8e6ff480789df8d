import { fireBookingReminder } from '../bookings/fire-reminder.ts'
import { fireComplaintReminder } from '../complaints/fire.ts'
import { fireFollowUpReminder } from '../follow-ups/fire.ts'
import { fireReminder as fireRepairReminder, fireRepairReminders } from '../tickets/fire-reminder.ts'
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

/** Families that fire a whole batch of their rows as a set (repairs: two statements for all of them). */
const setsByFamily: Record<string, (tx: Tx, now: Date, rows: Reminder[]) => Promise<FireResult[]>> = {
  repair: fireRepairReminders,
}

/** A reminder's family: the part of its kind before the first dot ("repair" of "repair.unassigned_alert"). */
export const familyOf = (row: Pick<Reminder, 'kind'>): string => row.kind.split('.')[0]

/**
 * Fires one reminder row, whatever it is about: the kind's family picks the handler, and every
 * handler claims the row with the same conditional UPDATE, so each fires exactly once. The row is
 * read once, here, and handed on: the firing is the hot path when thousands fall due together.
 */
export async function fireAnyReminder(tx: Tx, now: Date, reminderId: string): Promise<FireResult> {
  const row = await tx.reminder.findUnique({ where: { id: reminderId } })
  return row ? fireReadReminder(tx, now, row) : { outcome: 'not_found', reminder: null, notifications: [] }
}

/** Fires a reminder row the caller has just read. */
function fireReadReminder(tx: Tx, now: Date, row: Reminder): Promise<FireResult> {
  const fire = byFamily[familyOf(row)]
  return fire ? fire(tx, now, row.id, row) : Promise.resolve({ outcome: 'not_found', reminder: null, notifications: [] })
}

/**
 * Fires reminder rows the caller has just read, in one transaction, one result per row in order:
 * the families that fire as a set first (each set locks its subjects in its own order), then the
 * others one by one in the order given.
 */
export async function fireReadReminders(tx: Tx, now: Date, rows: Reminder[]): Promise<FireResult[]> {
  const results = new Map<Reminder, FireResult>()
  for (const [family, fireSet] of Object.entries(setsByFamily)) {
    const own = rows.filter((row) => familyOf(row) === family)
    if (own.length) (await fireSet(tx, now, own)).forEach((result, i) => results.set(own[i], result))
  }
  for (const row of rows) if (!results.has(row)) results.set(row, await fireReadReminder(tx, now, row))
  return rows.map((row) => results.get(row)!)
}
