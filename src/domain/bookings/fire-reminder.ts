import type { Reminder } from '../../generated/prisma/client.ts'
import type { Notification, NotificationTarget } from '../notifications.ts'
import { claimReminder, isFireResult, type FireOutcome } from '../reminders/claim.ts'
import { mentionOf } from '../notifications.ts'
import { maskPhones } from '../../text/phone.ts'
import { isBookingReminderKind, replanBookingClocks, WAITLIST_OFFER_EXPIRY } from './clocks.ts'
import { merge, released } from './lifecycle.ts'
import { bookingText, clockText, factsParams, localeOf, rangeText, roleText, waitlistLabel, type BookingLocale } from './locales.ts'
import type { BookingWithResource, Effects, Tx } from './types.ts'
import { offerFreedRange } from './waitlist.ts'

export interface BookingFireResult extends Effects {
  outcome: FireOutcome
  reminder: Reminder | null
}

const nothing = (outcome: FireOutcome, reminder: Reminder | null): BookingFireResult => ({ outcome, reminder, reminders: { scheduled: [], cancelled: [] }, notifications: [] })

/** The same lock booking commands take, so a firing waits for a command and sees its outcome. */
const lockBookingRow = (tx: Tx) => async (reminder: Reminder) => {
  if (reminder.subjectType === 'booking') await tx.$queryRaw`SELECT "id" FROM "Booking" WHERE "id" = ${reminder.subjectId} FOR UPDATE`
}

function groupOf(booking: BookingWithResource): NotificationTarget {
  return booking.groupId ? { kind: 'group', groupId: booking.groupId } : { kind: 'purpose', purpose: 'front_desk' }
}

function facts(locale: BookingLocale, booking: BookingWithResource, timeZone: string) {
  return factsParams(locale, {
    number: booking.number,
    resource: booking.resource.name,
    range: rangeText(locale, booking.startsAt, booking.endsAt, timeZone),
    customer: booking.customerName,
    phone: booking.customerPhone,
  })
}

/**
 * Fires one due booking reminder, exactly once (the shared claim step of src/domain/reminders/),
 * and re-reads the booking so a cancelled or moved booking says nothing.
 */
export async function fireBookingReminder(tx: Tx, now: Date, reminderId: string, read?: Reminder): Promise<BookingFireResult> {
  const found = read ?? (await tx.reminder.findUnique({ where: { id: reminderId } }))
  if (!found || !isBookingReminderKind(found.kind)) return nothing('not_found', found)
  const claimed = await claimReminder(tx, now, reminderId, lockBookingRow(tx), found)
  if (isFireResult(claimed)) return nothing(claimed.outcome, claimed.reminder)

  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: found.tenantId } })
  const locale = localeOf(tenant.locale)
  const skip = async () => nothing('skipped', await tx.reminder.update({ where: { id: reminderId }, data: { status: 'skipped' } }))

  if (found.kind === WAITLIST_OFFER_EXPIRY) {
    const entry = await tx.bookingWaitlistEntry.findFirst({ where: { id: found.subjectId, tenantId: found.tenantId }, include: { resource: true } })
    if (!entry || entry.status !== 'offered') return skip()
    await tx.bookingWaitlistEntry.update({ where: { id: entry.id }, data: { status: 'cancelled' } })
    const next = await offerFreedRange(tx, now, entry.resource, entry.startsAt, entry.endsAt)
    const lapsed: Notification = {
      tenantId: entry.tenantId,
      target: entry.groupId ? { kind: 'group', groupId: entry.groupId } : { kind: 'purpose', purpose: 'front_desk' },
      reply: { lines: [bookingText(locale, 'waitlistOfferExpired', { entry: waitlistLabel(locale, entry.number) })], mentions: [], buttons: [] },
      key: `reminder:${reminderId}`,
    }
    return { outcome: 'sent', reminder: found, reminders: next.reminders, notifications: [lapsed, ...next.notifications] }
  }

  const booking = await tx.booking.findFirst({ where: { id: found.subjectId, tenantId: found.tenantId }, include: { resource: true, createdBy: true } })
  if (!booking || (booking.status !== 'unconfirmed' && booking.status !== 'confirmed')) return skip()
  const params = facts(locale, booking, tenant.timeZone)
  const mentions = booking.createdBy ? [mentionOf(booking.createdBy)] : []
  const say = (key: string, extra: Record<string, string | number> = {}): Notification => ({
    tenantId: booking.tenantId,
    target: groupOf(booking),
    reply: { lines: [maskPhones(bookingText(locale, key, { ...params, ...extra }))], mentions, buttons: [] },
    key: `reminder:${reminderId}`,
  })
  await tx.reminder.update({ where: { id: reminderId }, data: { recipients: booking.createdById ? [booking.createdById] : [] } })

  if (found.kind === 'booking.customer_reminder') return { ...nothing('sent', found), notifications: [say('customerReminder')] }
  if (found.kind === 'booking.staff_reminder') return { ...nothing('sent', found), notifications: [say('staffReminder', { clock: clockText(booking.startsAt, tenant.timeZone) })] }
  if (found.kind === 'booking.no_show') {
    const updated = await tx.booking.update({ where: { id: booking.id }, data: { status: 'no_show', noShowAt: now }, include: { resource: true } })
    const after = await released(tx, now, updated, tenant)
    return { outcome: 'sent', reminder: found, ...merge({ reminders: { scheduled: [], cancelled: [] }, notifications: [say('noShow')] }, after) }
  }
  if (found.kind === 'booking.service_call') return { ...nothing('sent', found), notifications: [say('serviceCall')] }
  if (found.kind === 'booking.service_call_escalation') {
    const supervisors = await tx.member.findMany({ where: { tenantId: booking.tenantId, active: true, roles: { has: 'supervisor' } } })
    const escalation: Notification = {
      tenantId: booking.tenantId,
      target: { kind: 'purpose', purpose: 'management' },
      reply: { lines: [maskPhones(bookingText(locale, 'serviceCallEscalation', params))], mentions: supervisors.map(mentionOf), buttons: [] },
      key: `reminder:${reminderId}`,
    }
    return { ...nothing('sent', found), notifications: [escalation] }
  }
  if (found.kind === 'booking.hold_expiry') {
    const updated = await tx.booking.update({ where: { id: booking.id }, data: { status: 'removed', removedAt: now, removedReason: 'hold_expired' }, include: { resource: true } })
    const after = await released(tx, now, updated, tenant)
    return { outcome: 'sent', reminder: found, ...merge({ reminders: { scheduled: [], cancelled: [] }, notifications: [say('holdExpired')] }, after) }
  }
  if (found.kind === 'booking.prep_chase') {
    const pending = await tx.bookingPrepTask.findMany({ where: { bookingId: booking.id, confirmedAt: null } })
    // The next morning's chase, while some role has still not confirmed and the event is ahead.
    const next = await replanBookingClocks(tx, booking, tenant, now)
    if (!pending.length) return { ...nothing('skipped', found), reminders: next }
    const roles = pending.map((t) => t.role)
    const chased = await tx.member.findMany({ where: { tenantId: booking.tenantId, active: true, roles: { hasSome: roles } }, orderBy: { name: 'asc' } })
    const chase: Notification = {
      tenantId: booking.tenantId,
      target: groupOf(booking),
      reply: { lines: [maskPhones(bookingText(locale, 'prepChase', { ...params, roles: roles.map((r) => roleText[locale][r] ?? r).join(locale === 'zh-CN' ? '、' : ', ') }))], mentions: chased.map(mentionOf), buttons: [] },
      key: `reminder:${reminderId}`,
    }
    return { outcome: 'sent', reminder: found, reminders: next, notifications: [chase] }
  }
  return skip()
}

/** Whether a reminder row belongs to bookings (kind prefix "booking."), for the reminders worker's dispatch. */
export async function isBookingReminder(db: Pick<Tx, 'reminder'>, reminderId: string): Promise<boolean> {
  const row = await db.reminder.findUnique({ where: { id: reminderId }, select: { kind: true } })
  return row !== null && isBookingReminderKind(row.kind)
}
