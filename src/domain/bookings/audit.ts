import { randomUUID } from 'node:crypto'
import type { Notification } from '../notifications.ts'
import { addDays, isoDate, localParts, zonedTime } from '../time.ts'
import { minutesOfDay } from '../calendar/index.ts'
import { bookingLabel, bookingText, localeOf, rangeText, removedReasonText } from './locales.ts'
import { released, merge } from './lifecycle.ts'
import { maskPhones } from '../../text/phone.ts'
import type { Effects, Tx } from './types.ts'

export interface AuditResult extends Effects {
  /** null when this tenant's audit for the day had already run. */
  runId: string | null
  removed: number[]
}

/** Whether the tenant's audit time has come today (tenant time zone). */
export function auditIsDue(tenant: { timeZone: string; bookingAuditTime: string }, now: Date): boolean {
  const p = localParts(now, tenant.timeZone)
  return p.hour * 60 + p.minute >= minutesOfDay(tenant.bookingAuditTime)
}

/**
 * Which unconfirmed bookings the audit of `now`'s local day clears: those that were due to be
 * confirmed by now. A hotel front desk's night audit clears yesterday's unconfirmed bookings and
 * those for tonight and tomorrow (a room nobody confirmed by 18:00 the day before goes back on
 * sale); a booking made today for next month keeps until tomorrow's audit, so one made at 17:55
 * does not vanish at 18:00. An elder-care bed with a deposit is on its 5-working-day hold, which
 * its own clock ends; confirmed bookings are never touched.
 */
export function auditScope(now: Date, timeZone: string) {
  const today = localParts(now, timeZone)
  const midnight = (day: { year: number; month: number; day: number }) => zonedTime({ ...day, hour: 0, minute: 0 }, timeZone)
  return {
    madeBefore: midnight(today),
    startsBefore: midnight(addDays(today, 2)),
  }
}

/**
 * The daily audit (夜审, 18:00 by default): the unconfirmed bookings in auditScope are removed,
 * confirmed ones never, and the front desk gets the list with the reason. One BookingAuditRun row per tenant and
 * local day, inserted first with ON CONFLICT DO NOTHING, makes it run once however many workers
 * and schedulers try.
 */
export async function runBookingAudit(tx: Tx, now: Date, tenantId: string): Promise<AuditResult> {
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: tenantId } })
  const forDate = isoDate(localParts(now, tenant.timeZone))
  const runId = randomUUID()
  const claimed = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "BookingAuditRun" ("id", "tenantId", "forDate", "startedAt") VALUES (${runId}, ${tenantId}, ${forDate}, ${now})
    ON CONFLICT ("tenantId", "forDate") DO NOTHING RETURNING "id"`
  if (!claimed.length) return { runId: null, removed: [], reminders: { scheduled: [], cancelled: [] }, notifications: [] }

  const scope = auditScope(now, tenant.timeZone)
  const unconfirmed = await tx.booking.findMany({
    where: {
      tenantId,
      status: 'unconfirmed',
      createdAt: { lte: now },
      OR: [{ createdAt: { lt: scope.madeBefore } }, { startsAt: { lt: scope.startsBefore } }],
      NOT: { resource: { kind: 'bed' }, depositAt: { not: null } },
    },
    include: { resource: true },
    orderBy: { startsAt: 'asc' },
  })
  const effects: Effects[] = []
  for (const booking of unconfirmed) {
    const updated = await tx.booking.update({ where: { id: booking.id }, data: { status: 'removed', removedAt: now, removedReason: 'audit' }, include: { resource: true } })
    effects.push(await released(tx, now, updated, tenant))
  }
  await tx.bookingAuditRun.update({ where: { id: runId }, data: { removedCount: unconfirmed.length, finishedAt: now } })

  const locale = localeOf(tenant.locale)
  const lines = unconfirmed.map((b) =>
    maskPhones(bookingText(locale, 'auditLine', {
      label: bookingLabel(locale, b.number),
      resource: b.resource.name,
      range: rangeText(locale, b.startsAt, b.endsAt, tenant.timeZone),
      who: b.customerPhone ? `${b.customerName} ${b.customerPhone}` : b.customerName,
      // The tenant's own audit time, which the admin may have moved from 18:00.
      reason: removedReasonText[locale].audit.replace('{time}', tenant.bookingAuditTime),
    })),
  )
  const report: Notification = {
    tenantId,
    target: { kind: 'purpose', purpose: 'front_desk' },
    reply: unconfirmed.length
      ? { heading: bookingText(locale, 'auditHeading', { date: forDate, count: unconfirmed.length }), lines, mentions: [], buttons: [] }
      : { lines: [bookingText(locale, 'auditNone', { date: forDate })], mentions: [], buttons: [] },
    key: `booking-audit:${runId}`,
  }
  const all = merge(...effects)
  // A quiet day says nothing; a day with removals reports them.
  return { runId, removed: unconfirmed.map((b) => b.number), reminders: all.reminders, notifications: [...(unconfirmed.length ? [report] : []), ...all.notifications] }
}
