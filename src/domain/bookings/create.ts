import { replanBookingClocks } from './clocks.ts'
import { bookingError } from './errors.ts'
import { insertIntoFreeLane, slotTaken } from './lanes.ts'
import { allocateBookingNumber } from './numbering.ts'
import { bookableResource, type BookingRequest } from './request.ts'
import { holdOf } from './rules.ts'
import type { BookingResult, Tx } from './types.ts'
import { closeOfferFor } from './waitlist.ts'

export interface CreateBookingInput extends BookingRequest {
  /** A deposit taken at booking confirms it at once. */
  depositCents?: number | null
  note?: string | null
}

/**
 * Books a range of a resource. Its own rules first (hours, step, notice), then the number (which
 * also serialises the tenant's booking writes), then the insert, which the exclusion constraint
 * refuses when every lane is held: the refusal (SlotTaken) rolls everything back, the number too.
 */
export async function createBooking(tx: Tx, now: Date, input: CreateBookingInput): Promise<BookingResult> {
  const { resource, tenant } = await bookableResource(tx, now, input)
  const customerName = input.customerName.trim()
  if (input.groupId && !(await tx.chatGroup.findFirst({ where: { id: input.groupId, tenantId: input.tenantId } }))) throw bookingError('booking.not_found', { number: 0 })

  const number = await allocateBookingNumber(tx, input.tenantId)
  const hold = holdOf(resource, input.startsAt, input.endsAt)
  const deposit = input.depositCents ?? null
  // A deposit confirms at once, except for an elder-care bed, whose deposit starts its hold.
  const confirmed = deposit !== null && deposit > 0 && resource.kind !== 'bed'
  const booking = await insertIntoFreeLane(tx, {
    tenantId: input.tenantId,
    number,
    resource,
    status: confirmed ? 'confirmed' : 'unconfirmed',
    customerName,
    customerPhone: input.customerPhone?.trim() || null,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    ...hold,
    depositCents: deposit,
    note: input.note?.trim() || null,
    createdById: input.createdById,
    groupId: input.groupId ?? null,
    confirmedAt: confirmed ? now : null,
    confirmedById: confirmed ? input.createdById : null,
    depositAt: deposit ? now : null,
    now,
  })
  if (!booking) throw await slotTaken(tx, resource, input.startsAt, input.endsAt, hold.holdFrom, hold.holdUntil)

  if (resource.prepRoles.length) await tx.bookingPrepTask.createMany({ data: resource.prepRoles.map((role) => ({ bookingId: booking.id, role })) })
  const offerReminders = await closeOfferFor(tx, input.tenantId, resource.id, booking.customerPhone, customerName, booking.id)
  const reminders = await replanBookingClocks(tx, booking, tenant, now)
  return { booking: { ...booking, resource }, reminders: { scheduled: reminders.scheduled, cancelled: [...reminders.cancelled, ...offerReminders] }, notifications: [] }
}
