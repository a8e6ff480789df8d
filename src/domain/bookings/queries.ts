import type { PrismaClient } from '../../generated/prisma/client.ts'
import { bookingError } from './errors.ts'

type Reader = Pick<PrismaClient, 'booking' | 'member' | 'resource' | '$queryRaw'>

/** Bookings starting within [from, until), in start order, with their resources (今天的预约, 预约列表 明天). */
export function listBookings(db: Reader, input: { tenantId: string; from: Date; until: Date; limit?: number }) {
  return db.booking.findMany({
    where: { tenantId: input.tenantId, startsAt: { gte: input.from, lt: input.until }, status: { notIn: ['removed'] } },
    include: { resource: true },
    orderBy: [{ startsAt: 'asc' }, { number: 'asc' }],
    take: input.limit ?? 50,
  })
}

/** One booking by its number (预约 #N). */
export async function showBooking(db: Reader, input: { tenantId: string; number: number }) {
  const booking = await db.booking.findFirst({ where: { tenantId: input.tenantId, number: input.number }, include: { resource: true, createdBy: true } })
  if (!booking) throw bookingError('booking.not_found', { number: input.number })
  return booking
}

/** The tenant's bookable resources (资源). */
export function listResources(db: Reader, tenantId: string) {
  return db.resource.findMany({ where: { tenantId, active: true }, orderBy: { name: 'asc' } })
}

export interface StaffBookingCounts {
  memberId: string
  name: string
  /** Bookings this member cancelled. */
  cancellations: number
  /** Bookings this member took that turned no-show. */
  noShows: number
}

/**
 * Cancellations and no-shows per staff member since `since` (for reports): a cancellation counts
 * for whoever cancelled, a no-show for whoever took the booking.
 */
export async function staffBookingCounts(db: Reader, input: { tenantId: string; since: Date; until: Date }): Promise<StaffBookingCounts[]> {
  const rows = await db.$queryRaw<{ memberId: string; cancellations: number; noShows: number }[]>`
    SELECT "memberId", SUM("cancellations")::int AS "cancellations", SUM("noShows")::int AS "noShows" FROM (
      SELECT "cancelledById" AS "memberId", 1 AS "cancellations", 0 AS "noShows" FROM "Booking"
       WHERE "tenantId" = ${input.tenantId} AND "status" = 'cancelled' AND "cancelledById" IS NOT NULL AND "cancelledAt" >= ${input.since} AND "cancelledAt" < ${input.until}
      UNION ALL
      SELECT "createdById", 0, 1 FROM "Booking"
       WHERE "tenantId" = ${input.tenantId} AND "status" = 'no_show' AND "createdById" IS NOT NULL AND "noShowAt" >= ${input.since} AND "noShowAt" < ${input.until}
    ) AS counted GROUP BY "memberId"`
  const members = await db.member.findMany({ where: { tenantId: input.tenantId, id: { in: rows.map((r) => r.memberId) } }, select: { id: true, name: true } })
  const names = new Map(members.map((m) => [m.id, m.name]))
  return rows.map((r) => ({ memberId: r.memberId, name: names.get(r.memberId) ?? '', cancellations: r.cancellations, noShows: r.noShows })).sort((a, b) => a.name.localeCompare(b.name))
}

/** Bookings of one resource (or all) starting within [from, until), the day and week views and their export. */
export function listResourceBookings(db: Reader, input: { tenantId: string; resourceId?: string; from: Date; until: Date; take?: number }) {
  return db.booking.findMany({
    where: {
      tenantId: input.tenantId,
      ...(input.resourceId ? { resourceId: input.resourceId } : {}),
      startsAt: { gte: input.from, lt: input.until },
      status: { notIn: ['removed'] },
    },
    include: { resource: true },
    orderBy: [{ startsAt: 'asc' }, { number: 'asc' }],
    take: input.take ?? 500,
  })
}
