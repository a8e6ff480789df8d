import type { Booking, BookingStatus, Member, Tenant } from '../../generated/prisma/client.ts'
import { replanBookingClocks } from './clocks.ts'
import { bookingError, wrongStatus } from './errors.ts'
import { freeLaneFor, lockTenantBookings, slotTaken } from './lanes.ts'
import { checkBookable, holdOf } from './rules.ts'
import type { BookingRef, BookingResult, BookingWithResource, Effects, Tx } from './types.ts'
import { offerFreedRange } from './waitlist.ts'
import { planFollowUp } from '../follow-ups/plan.ts'
import { followUpKinds } from '../follow-ups/windows.ts'

/** domain.md: a home service completed is called back the same day. */
const SERVICE_FOLLOW_UP_KIND = followUpKinds.serviceCallback

/** Creator or desk may delete within this long of creation; after it, only a supervisor. */
export const DELETE_LOCK_MS = 2 * 60 * 60_000

async function loadForUpdate(tx: Tx, ref: BookingRef): Promise<BookingWithResource> {
  await tx.$queryRaw`SELECT "id" FROM "Booking" WHERE "tenantId" = ${ref.tenantId} AND "number" = ${ref.number} FOR UPDATE`
  const booking = await tx.booking.findFirst({ where: { tenantId: ref.tenantId, number: ref.number }, include: { resource: true } })
  if (!booking) throw bookingError('booking.not_found', { number: ref.number })
  return booking
}

async function actorOf(tx: Tx, ref: BookingRef): Promise<Member> {
  const member = await tx.member.findFirst({ where: { id: ref.actorId, tenantId: ref.tenantId } })
  if (!member) throw bookingError('booking.not_allowed', { number: ref.number })
  return member
}

const tenantOf = (tx: Tx, tenantId: string): Promise<Tenant> => tx.tenant.findUniqueOrThrow({ where: { id: tenantId } })

function requireStatus(booking: Booking, allowed: BookingStatus[], action: string): void {
  if (!allowed.includes(booking.status)) throw wrongStatus(booking.number, booking.status, action)
}

const merge = (...parts: Effects[]): Effects => ({
  reminders: { scheduled: parts.flatMap((p) => p.reminders.scheduled), cancelled: parts.flatMap((p) => p.reminders.cancelled) },
  notifications: parts.flatMap((p) => p.notifications),
})

/** The booking has ended its hold: its clocks stop and the first waiting request is offered the range. */
async function released(tx: Tx, now: Date, booking: BookingWithResource, tenant: Tenant): Promise<Effects> {
  const clocks = await replanBookingClocks(tx, booking, tenant, now)
  const offer = await offerFreedRange(tx, now, booking.resource, booking.startsAt, booking.endsAt)
  return merge({ reminders: clocks, notifications: [] }, offer)
}

export interface ConfirmInput extends BookingRef {
  depositCents?: number | null
}

/**
 * 确认 #N (已收定金200元): confirmed bookings survive the daily audit, and a service visit's
 * call-back clock stops. An elder-care bed is different: its first deposit only starts the
 * 5-working-day hold (it stays unconfirmed); a later 确认 #N confirms it.
 */
export async function confirm(tx: Tx, now: Date, input: ConfirmInput): Promise<BookingResult> {
  const booking = await loadForUpdate(tx, input)
  requireStatus(booking, ['unconfirmed', 'confirmed'], 'confirm')
  const deposit = input.depositCents ?? booking.depositCents
  if (booking.resource.depositRequired && !deposit) throw bookingError('booking.deposit_required', { number: booking.number, resource: booking.resource.name })
  const startsBedHold = booking.resource.kind === 'bed' && booking.status === 'unconfirmed' && !booking.depositAt && !!input.depositCents
  const updated = await tx.booking.update({
    where: { id: booking.id },
    data: startsBedHold
      ? { depositCents: deposit, depositAt: now }
      : { status: 'confirmed', confirmedAt: booking.confirmedAt ?? now, confirmedById: booking.confirmedById ?? input.actorId, depositCents: deposit ?? null, depositAt: booking.depositAt ?? (input.depositCents ? now : null) },
    include: { resource: true },
  })
  const clocks = await replanBookingClocks(tx, updated, await tenantOf(tx, input.tenantId), now)
  return { booking: updated, reminders: clocks, notifications: [] }
}

/**
 * 到店 / 入住 #N. A late guest on the no-show list is checked in too, if a lane of the range is
 * still free (the booking takes it again; the constraint refuses otherwise).
 */
export async function checkIn(tx: Tx, now: Date, input: BookingRef): Promise<BookingResult> {
  await lockTenantBookings(tx, input.tenantId)
  const booking = await loadForUpdate(tx, input)
  requireStatus(booking, ['unconfirmed', 'confirmed', 'no_show'], 'check_in')
  let lane = booking.lane
  if (booking.status === 'no_show') {
    const free = await freeLaneFor(tx, booking.resource, booking.holdFrom, booking.holdUntil, booking.id)
    if (free === null) throw await slotTaken(tx, booking.resource, booking.startsAt, booking.endsAt, booking.holdFrom, booking.holdUntil, booking.id)
    lane = free
  }
  const updated = await tx.booking.update({ where: { id: booking.id }, data: { status: 'checked_in', checkedInAt: now, checkedInById: input.actorId, lane }, include: { resource: true } })
  const clocks = await replanBookingClocks(tx, updated, await tenantOf(tx, input.tenantId), now)
  return { booking: updated, reminders: clocks, notifications: [] }
}

export interface CancelInput extends BookingRef {
  reason: string
}

/** 取消预约 #N 原因: anyone who may book may cancel, with a reason; counted per staff member. */
export async function cancel(tx: Tx, now: Date, input: CancelInput): Promise<BookingResult> {
  const booking = await loadForUpdate(tx, input)
  const reason = input.reason.trim()
  if (!reason) throw bookingError('booking.reason_required', { number: input.number })
  requireStatus(booking, ['unconfirmed', 'confirmed'], 'cancel')
  const updated = await tx.booking.update({
    where: { id: booking.id },
    data: { status: 'cancelled', cancelledAt: now, cancelledById: input.actorId, cancelReason: reason },
    include: { resource: true },
  })
  return { booking: updated, ...(await released(tx, now, updated, await tenantOf(tx, input.tenantId))) }
}

/**
 * 删除 #N: within 2 hours of creation the creator or the desk (agents) may delete; after that the
 * booking is locked and only a supervisor may. Others cancel with a reason instead.
 */
export async function remove(tx: Tx, now: Date, input: BookingRef): Promise<BookingResult> {
  const booking = await loadForUpdate(tx, input)
  requireStatus(booking, ['unconfirmed', 'confirmed', 'no_show'], 'delete')
  const actor = await actorOf(tx, input)
  const supervisor = actor.roles.includes('supervisor')
  const withinLock = now.getTime() - booking.createdAt.getTime() < DELETE_LOCK_MS
  if (!supervisor) {
    if (!withinLock) throw bookingError('booking.locked', { number: booking.number })
    if (booking.createdById !== actor.id && !actor.roles.includes('agent')) throw bookingError('booking.not_allowed', { number: booking.number })
  }
  const updated = await tx.booking.update({
    where: { id: booking.id },
    data: { status: 'removed', removedAt: now, removedById: actor.id, removedReason: 'deleted' },
    include: { resource: true },
  })
  return { booking: updated, ...(await released(tx, now, updated, await tenantOf(tx, input.tenantId))) }
}

export interface RescheduleInput extends BookingRef {
  startsAt: Date
  endsAt: Date
}

/** 改期 #N 明天下午3点: same number, a new range in a free lane, clocks replanned for the new time only. */
export async function reschedule(tx: Tx, now: Date, input: RescheduleInput): Promise<BookingResult> {
  await lockTenantBookings(tx, input.tenantId)
  const booking = await loadForUpdate(tx, input)
  requireStatus(booking, ['unconfirmed', 'confirmed'], 'reschedule')
  const tenant = await tenantOf(tx, input.tenantId)
  checkBookable(booking.resource, input.startsAt, input.endsAt, now, tenant.timeZone)
  const hold = holdOf(booking.resource, input.startsAt, input.endsAt)
  const lane = await freeLaneFor(tx, booking.resource, hold.holdFrom, hold.holdUntil, booking.id)
  if (lane === null) throw await slotTaken(tx, booking.resource, input.startsAt, input.endsAt, hold.holdFrom, hold.holdUntil, booking.id)
  const updated = await tx.booking.update({
    where: { id: booking.id },
    data: { startsAt: input.startsAt, endsAt: input.endsAt, ...hold, lane, rescheduledAt: now },
    include: { resource: true },
  })
  const clocks = await replanBookingClocks(tx, updated, tenant, now)
  const offer = await offerFreedRange(tx, now, booking.resource, booking.startsAt, booking.endsAt)
  return { booking: updated, ...merge({ reminders: clocks, notifications: [] }, offer) }
}

/**
 * 完成预约 #N: a service visit (or any booking) is done; a home service owes the customer a
 * call-back the same day (domain.md), planned through the follow-up program.
 */
export async function complete(tx: Tx, now: Date, input: BookingRef): Promise<BookingResult> {
  const booking = await loadForUpdate(tx, input)
  requireStatus(booking, ['confirmed', 'checked_in'], 'complete')
  const updated = await tx.booking.update({ where: { id: booking.id }, data: { status: 'completed', completedAt: now, completedById: input.actorId }, include: { resource: true } })
  const clocks = await replanBookingClocks(tx, updated, await tenantOf(tx, input.tenantId), now)
  if (booking.resource.kind !== 'service') return { booking: updated, reminders: clocks, notifications: [] }
  const followUp = await planFollowUp(tx, now, { tenantId: input.tenantId, subject: { bookingId: booking.id }, kind: SERVICE_FOLLOW_UP_KIND, completedAt: now, assigneeId: booking.createdById })
  return { booking: updated, ...merge({ reminders: clocks, notifications: [] }, { reminders: followUp.reminders, notifications: [] }) }
}

/** 已准备 #N: the sender's role has prepared the gathering or move-in; the rest are still chased. */
export async function prepared(tx: Tx, now: Date, input: BookingRef): Promise<BookingResult & { pendingRoles: string[]; confirmedRoles: string[] }> {
  const booking = await loadForUpdate(tx, input)
  requireStatus(booking, ['unconfirmed', 'confirmed'], 'prepare')
  const actor = await actorOf(tx, input)
  const tasks = await tx.bookingPrepTask.findMany({ where: { bookingId: booking.id } })
  const mine = tasks.filter((t) => actor.roles.includes(t.role) && !t.confirmedAt)
  if (!tasks.some((t) => actor.roles.includes(t.role))) throw bookingError('booking.no_prep_for_role', { number: booking.number })
  if (mine.length) await tx.bookingPrepTask.updateMany({ where: { id: { in: mine.map((t) => t.id) } }, data: { confirmedAt: now, confirmedById: actor.id } })
  const confirmedRoles = mine.map((t) => t.role)
  const pendingRoles = tasks.filter((t) => !t.confirmedAt && !confirmedRoles.includes(t.role)).map((t) => t.role)
  const clocks = await replanBookingClocks(tx, booking, await tenantOf(tx, input.tenantId), now)
  return { booking, confirmedRoles, pendingRoles, reminders: clocks, notifications: [] }
}

export { released, merge }
