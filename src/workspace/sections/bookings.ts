import type { FastifyInstance, FastifyRequest } from 'fastify'
import { listResourceBookings, listResources } from '../../domain/bookings/queries.ts'
import { mayOpen } from '../auth/permissions.ts'
import { toCsv } from '../csv.ts'
import { bookingQuery, type BookingQuery } from '../filters.ts'
import { addDays, formatTime, parseIsoDate, startOfDay, today, type LocalDate } from '../format.ts'
import { isoWeekday } from '../../time/zone.ts'
import { BookingsPage } from '../pages/bookings.tsx'
import { sendCsv, sendPage } from '../render.ts'
import type { SectionKit } from '../routes.ts'

export function bookingRoutes(kit: SectionKit) {
  const { ctx } = kit

  /** A day, or the Monday-to-Sunday week holding the date, in the tenant's zone. */
  const rangeOf = (request: FastifyRequest, query: BookingQuery) => {
    const staff = kit.staffOf(request)
    const zone = staff.tenant.timeZone
    const mode = query.view ?? 'day'
    const picked: LocalDate = parseIsoDate(query.date) ?? today(ctx.clock.now(), zone)
    const first = mode === 'week' ? addDays(picked, 1 - isoWeekday(picked)) : picked
    const days = mode === 'week' ? 7 : 1
    return { staff, mode, first, days, from: startOfDay(first, zone), until: startOfDay(addDays(first, days), zone) }
  }

  return async (app: FastifyInstance) => {
    app.get('/bookings', { preHandler: kit.guard('bookings') }, async (request, reply) => {
      const query = kit.parseQuery(bookingQuery, request, reply)
      if (!query) return reply
      const range = rangeOf(request, query)
      const tenantId = range.staff.tenant.id
      const [resources, rows] = await Promise.all([
        listResources(ctx.prisma, tenantId),
        listResourceBookings(ctx.prisma, { tenantId, resourceId: query.resource, from: range.from, until: range.until }),
      ])
      return sendPage(
        reply,
        BookingsPage({ view: kit.viewOf(request), resources, resourceId: query.resource, mode: range.mode, first: range.first, days: range.days, rows, mayExport: mayOpen(range.staff.member.roles, 'export') }),
      )
    })

    app.get('/bookings.csv', { preHandler: kit.guard('export') }, async (request, reply) => {
      const query = kit.parseQuery(bookingQuery, request, reply)
      if (!query) return reply
      const range = rangeOf(request, query)
      const { t, timeZone } = kit.viewOf(request)
      const rows = await listResourceBookings(ctx.prisma, { tenantId: range.staff.tenant.id, resourceId: query.resource, from: range.from, until: range.until, take: 10_000 })
      const body = toCsv(
        [t('col.number'), t('col.resource'), t('col.status'), t('col.startsAt'), t('col.endsAt'), t('col.customer'), t('col.phone'), t('col.description')],
        rows.map((row) => [row.number, row.resource.name, t(`booking.${row.status}`), formatTime(row.startsAt, timeZone), formatTime(row.endsAt, timeZone), row.customerName, row.customerPhone, row.note]),
      )
      return sendCsv(reply, 'bookings.csv', body)
    })
  }
}
