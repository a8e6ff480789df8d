import type { Booking } from '../../generated/prisma/client.ts'
import { syncReminders } from '../tickets/reminder-sync.ts'
import { addDays, localParts, zonedTime } from '../time.ts'
import type { ReminderChanges, Tx } from './types.ts'

/** Every booking clock; the kind prefix routes a due reminder to fire-reminder.ts here. */
export const bookingReminderKinds = ['booking.customer_reminder', 'booking.staff_reminder', 'booking.no_show'] as const
export type BookingReminderKind = (typeof bookingReminderKinds)[number]
export const WAITLIST_OFFER_EXPIRY = 'booking.waitlist_offer_expiry'

export const isBookingReminderKind = (kind: string) => kind.startsWith('booking.')

/** The customer hears the day before, at this local time (domain rule: by 12:00). */
export const CUSTOMER_REMINDER_LOCAL = { hour: 10, minute: 0 }
export const STAFF_REMINDER_MINUTES_BEFORE = 30
/** No check-in this long after the start: a no-show, and the resource is released. */
export const NO_SHOW_AFTER_MINUTES = 60

export const bookingSubject = (booking: Pick<Booking, 'id' | 'tenantId'>) => ({ tenantId: booking.tenantId, type: 'booking', id: booking.id })

/** The clocks a booking runs against in its state; none once it is over, cancelled or removed. */
export function planBookingClocks(booking: Booking, timeZone: string): { kind: BookingReminderKind; dueAt: Date }[] {
  if (booking.status !== 'unconfirmed' && booking.status !== 'confirmed') return []
  const start = localParts(booking.startsAt, timeZone)
  const dayBefore = addDays({ year: start.year, month: start.month, day: start.day }, -1)
  return [
    { kind: 'booking.customer_reminder', dueAt: zonedTime({ ...dayBefore, ...CUSTOMER_REMINDER_LOCAL }, timeZone) },
    { kind: 'booking.staff_reminder', dueAt: new Date(booking.startsAt.getTime() - STAFF_REMINDER_MINUTES_BEFORE * 60_000) },
    { kind: 'booking.no_show', dueAt: new Date(booking.startsAt.getTime() + NO_SHOW_AFTER_MINUTES * 60_000) },
  ]
}

/**
 * Makes the booking's reminder rows match its plan (a moved booking's old clocks are cancelled,
 * the new ones created). Past-due clocks are not created after the fact: a booking made the
 * afternoon before gets no day-before reminder.
 */
export function replanBookingClocks(tx: Tx, booking: Booking, timeZone: string, now: Date): Promise<ReminderChanges> {
  // The sync works on any subject; its plan type names repair kinds only.
  const plan = planBookingClocks(booking, timeZone) as unknown as Parameters<typeof syncReminders>[2]
  return syncReminders(tx, bookingSubject(booking), plan, now)
}
