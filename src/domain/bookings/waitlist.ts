import type { BookingWaitlistEntry, Resource } from '../../generated/prisma/client.ts'
import { maskPhones } from '../../text/phone.ts'
import type { Notification } from '../notifications.ts'
import { syncReminders } from '../tickets/reminder-sync.ts'
import { isFree } from './availability.ts'
import { WAITLIST_OFFER_EXPIRY } from './clocks.ts'
import { bookingText, clockText, localeOf, rangeText, waitlistLabel } from './locales.ts'
import { allocateWaitlistNumber } from './numbering.ts'
import { bookableResource, type BookingRequest } from './request.ts'
import type { Effects, Tx } from './types.ts'

/** How long the first in line has to take a freed range before it goes to the next. */
export const OFFER_HOLD_MINUTES = 30

export async function joinWaitlist(tx: Tx, now: Date, input: BookingRequest): Promise<Effects & { entry: BookingWaitlistEntry & { resource: Resource }; position: number }> {
  const { resource } = await bookableResource(tx, now, input)
  const number = await allocateWaitlistNumber(tx, input.tenantId)
  const entry = await tx.bookingWaitlistEntry.create({
    data: {
      tenantId: input.tenantId,
      number,
      resourceId: resource.id,
      startsAt: input.startsAt,
      endsAt: input.endsAt,
      customerName: input.customerName,
      customerPhone: input.customerPhone ?? null,
      groupId: input.groupId ?? null,
      createdById: input.createdById,
      createdAt: now,
    },
    include: { resource: true },
  })
  const position = await tx.bookingWaitlistEntry.count({
    where: { tenantId: input.tenantId, resourceId: resource.id, status: { in: ['waiting', 'offered'] }, startsAt: { lt: input.endsAt }, endsAt: { gt: input.startsAt }, createdAt: { lte: now } },
  })
  return { entry, position, reminders: { scheduled: [], cancelled: [] }, notifications: [] }
}

/**
 * A range of the resource came free (cancel, delete, audit, no-show, a lapsed offer): the first
 * waiting request that overlaps it and would now get in is offered it, in its group, for
 * OFFER_HOLD_MINUTES; a reminder row moves the offer on to the next one when it lapses.
 */
export async function offerFreedRange(tx: Tx, now: Date, resource: Resource, from: Date, until: Date): Promise<Effects> {
  const waiting = await tx.bookingWaitlistEntry.findMany({
    where: { tenantId: resource.tenantId, resourceId: resource.id, status: 'waiting', startsAt: { lt: until, gt: now }, endsAt: { gt: from } },
    orderBy: [{ createdAt: 'asc' }, { number: 'asc' }],
  })
  for (const entry of waiting) {
    if (!(await isFree(tx, resource, entry.startsAt, entry.endsAt))) continue
    const expires = new Date(now.getTime() + OFFER_HOLD_MINUTES * 60_000)
    const offered = await tx.bookingWaitlistEntry.update({ where: { id: entry.id }, data: { status: 'offered', offeredAt: now, offerExpiresAt: expires } })
    const reminders = await syncReminders(tx, { tenantId: entry.tenantId, type: 'waitlist', id: entry.id }, [{ kind: WAITLIST_OFFER_EXPIRY, dueAt: expires }] as unknown as Parameters<typeof syncReminders>[2], now)
    const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: entry.tenantId } })
    const locale = localeOf(tenant.locale)
    const who = offered.customerPhone ? `${offered.customerName} ${offered.customerPhone}` : offered.customerName
    const notification: Notification = {
      tenantId: entry.tenantId,
      target: offered.groupId ? { kind: 'group', groupId: offered.groupId } : { kind: 'purpose', purpose: 'front_desk' },
      reply: {
        lines: [bookingText(locale, 'waitlistOffer', { resource: resource.name, range: rangeText(locale, offered.startsAt, offered.endsAt, tenant.timeZone), entry: waitlistLabel(locale, offered.number), who, until: clockText(expires, tenant.timeZone) })].map(maskPhones),
        mentions: [],
        buttons: [],
      },
      key: `waitlist-offer:${offered.id}:${now.getTime()}`,
    }
    return { reminders, notifications: [notification] }
  }
  return { reminders: { scheduled: [], cancelled: [] }, notifications: [] }
}


/** A booking made for someone who was offered the range closes their entry. */
export async function closeOfferFor(tx: Tx, tenantId: string, resourceId: string, customerPhone: string | null, customerName: string, bookingId: string): Promise<string[]> {
  const entries = await tx.bookingWaitlistEntry.findMany({
    where: { tenantId, resourceId, status: { in: ['offered', 'waiting'] }, OR: [...(customerPhone ? [{ customerPhone }] : []), { customerName }] },
  })
  if (!entries.length) return []
  await tx.bookingWaitlistEntry.updateMany({ where: { id: { in: entries.map((e) => e.id) } }, data: { status: 'booked', bookingId } })
  const cancelled = await tx.reminder.updateManyAndReturn({ where: { subjectId: { in: entries.map((e) => e.id) }, status: 'pending' }, data: { status: 'cancelled' }, select: { id: true } })
  return cancelled.map((r) => r.id)
}
