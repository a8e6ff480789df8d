import type { Booking, Resource, Tenant } from '../../generated/prisma/client.ts'
import { addWorkingDays, calendarFor, nextWorkingDayStart } from '../calendar/index.ts'
import { syncReminders } from '../tickets/reminder-sync.ts'
import { addDays, localParts, zonedTime } from '../time.ts'
import { minutesOfDay } from '../calendar/index.ts'
import type { ReminderChanges, Tx } from './types.ts'

/** Every booking clock; the kind prefix routes a due reminder to fire-reminder.ts here. */
export const bookingReminderKinds = [
  'booking.customer_reminder',
  'booking.staff_reminder',
  'booking.no_show',
  'booking.service_call',
  'booking.service_call_escalation',
  'booking.hold_expiry',
  'booking.prep_chase',
] as const
export type BookingReminderKind = (typeof bookingReminderKinds)[number]
export const WAITLIST_OFFER_EXPIRY = 'booking.waitlist_offer_expiry'

export const isBookingReminderKind = (kind: string) => kind.startsWith('booking.')

export const STAFF_REMINDER_MINUTES_BEFORE = 30
/** No check-in this long after the start: a no-show, and the resource is released. */
export const NO_SHOW_AFTER_MINUTES = 60
/** Home cleaning: the agent calls the customer back within 2 hours to confirm the visit time. */
export const SERVICE_CALL_MINUTES = 120
/** Still not confirmed this long after the agent's reminder: the supervisors hear of it. */
export const SERVICE_CALL_ESCALATION_MINUTES = 30
/** Elder care: a bed is held this many working days after the deposit, then released. */
export const BED_HOLD_WORKING_DAYS = 5
/** Preparations not confirmed are chased every morning at this local time. */
export const PREP_CHASE_LOCAL = '09:00'

/** What the clocks of one booking depend on besides the booking itself. */
export interface BookingClockInputs {
  tenant: Pick<Tenant, 'timeZone' | 'bookingReminderTime' | 'businessHours' | 'holidays' | 'extraWorkdays' | 'officialHolidays'>
  resource: Pick<Resource, 'kind'>
  /** Preparation roles that have not confirmed yet. */
  pendingPrep: number
  now: Date
}

export const bookingSubject = (booking: Pick<Booking, 'id' | 'tenantId'>) => ({ tenantId: booking.tenantId, type: 'booking', id: booking.id })

const MINUTE = 60_000

function atLocal(day: { year: number; month: number; day: number }, hhmm: string, timeZone: string): Date {
  const minutes = minutesOfDay(hhmm)
  return zonedTime({ ...day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, timeZone)
}

/** The next morning chase strictly after `now` (today's if it has not come yet). */
function nextMorning(now: Date, timeZone: string): Date {
  const today = localParts(now, timeZone)
  const todays = atLocal(today, PREP_CHASE_LOCAL, timeZone)
  return todays > now ? todays : atLocal(addDays(today, 1), PREP_CHASE_LOCAL, timeZone)
}

/**
 * The end of an elder-care bed's hold: the opening of the 6th working day after the deposit
 * (5 working days held, holidays skipped and make-up days counted by the tenant's calendar).
 */
export function bedHoldEndsAt(tenant: BookingClockInputs['tenant'], depositAt: Date): Date {
  const cal = calendarFor(tenant)
  return nextWorkingDayStart(cal, addWorkingDays(cal, depositAt, BED_HOLD_WORKING_DAYS))
}

/** The clocks a booking runs against in its state; none once it is over, cancelled or removed. */
export function planBookingClocks(booking: Booking, inputs: BookingClockInputs): { kind: BookingReminderKind; dueAt: Date }[] {
  if (booking.status !== 'unconfirmed' && booking.status !== 'confirmed') return []
  const { tenant, resource } = inputs
  const start = localParts(booking.startsAt, tenant.timeZone)
  const dayBefore = addDays({ year: start.year, month: start.month, day: start.day }, -1)
  const plan: { kind: BookingReminderKind; dueAt: Date }[] = [
    { kind: 'booking.customer_reminder', dueAt: atLocal(dayBefore, tenant.bookingReminderTime, tenant.timeZone) },
    { kind: 'booking.staff_reminder', dueAt: new Date(booking.startsAt.getTime() - STAFF_REMINDER_MINUTES_BEFORE * MINUTE) },
    { kind: 'booking.no_show', dueAt: new Date(booking.startsAt.getTime() + NO_SHOW_AFTER_MINUTES * MINUTE) },
  ]
  if (booking.status === 'unconfirmed' && resource.kind === 'service') {
    const call = new Date(booking.createdAt.getTime() + SERVICE_CALL_MINUTES * MINUTE)
    plan.push({ kind: 'booking.service_call', dueAt: call }, { kind: 'booking.service_call_escalation', dueAt: new Date(call.getTime() + SERVICE_CALL_ESCALATION_MINUTES * MINUTE) })
  }
  if (booking.status === 'unconfirmed' && resource.kind === 'bed' && booking.depositAt) plan.push({ kind: 'booking.hold_expiry', dueAt: bedHoldEndsAt(tenant, booking.depositAt) })
  if (inputs.pendingPrep > 0) {
    const chase = nextMorning(inputs.now, tenant.timeZone)
    if (chase < booking.startsAt) plan.push({ kind: 'booking.prep_chase', dueAt: chase })
  }
  return plan
}

/**
 * Makes the booking's reminder rows match its plan (a moved booking's old clocks are cancelled,
 * the new ones created). Past-due clocks are not created after the fact: a booking made the
 * afternoon before gets no day-before reminder.
 */
export async function replanBookingClocks(tx: Tx, booking: Booking, tenant: BookingClockInputs['tenant'], now: Date): Promise<ReminderChanges> {
  const resource = 'resource' in booking ? (booking as Booking & { resource: Resource }).resource : await tx.resource.findUniqueOrThrow({ where: { id: booking.resourceId } })
  const pendingPrep = await tx.bookingPrepTask.count({ where: { bookingId: booking.id, confirmedAt: null } })
  return syncReminders(tx, bookingSubject(booking), planBookingClocks(booking, { tenant, resource, pendingPrep, now }), now)
}
