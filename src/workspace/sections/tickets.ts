import type { FastifyInstance } from 'fastify'
import { listTickets, showRepair } from '../../domain/tickets/queries.ts'
import { mayOpen } from '../auth/permissions.ts'
import { toCsv } from '../csv.ts'
import { ticketFilterOf, ticketQuery, type TicketQuery } from '../filters.ts'
import { formatTime } from '../format.ts'
import { TicketDetailPage } from '../pages/ticket-detail.tsx'
import { PAGE_SIZE, TicketsPage } from '../pages/tickets.tsx'
import { sendCsv, sendPage } from '../render.ts'
import type { SectionKit } from '../routes.ts'

/** The query string again, minus the page number (for paging and the export link). */
function searchOf(query: TicketQuery): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (key !== 'page' && value !== undefined) params.set(key, String(value))
  return params.toString()
}

/** A CSV holds a working export, not the whole history in one request. */
const EXPORT_LIMIT = 10_000

export function ticketRoutes(kit: SectionKit) {
  const { ctx } = kit
  return async (app: FastifyInstance) => {
    app.get('/tickets', { preHandler: kit.guard('tickets') }, async (request, reply) => {
      const query = kit.parseQuery(ticketQuery, request, reply)
      if (!query) return reply
      const staff = kit.staffOf(request)
      const tenantId = staff.tenant.id
      const now = ctx.clock.now()
      const filter = { ...ticketFilterOf(query, tenantId, staff.tenant.timeZone, now), viewer: staff.member }
      const page = query.page ?? 1
      const [{ rows, total }, assignees, departments] = await Promise.all([
        listTickets(ctx.prisma, filter, { skip: (page - 1) * PAGE_SIZE, take: PAGE_SIZE }),
        ctx.prisma.member.findMany({ where: { tenantId, active: true, roles: { hasSome: ['agent', 'technician', 'supervisor'] } }, select: { id: true, name: true }, orderBy: { name: 'asc' } }),
        ctx.prisma.department.findMany({ where: { tenantId }, select: { id: true, name: true }, orderBy: { name: 'asc' } }),
      ])
      return sendPage(reply, TicketsPage({ view: kit.viewOf(request), query, rows, total, now, assignees, departments, mayExport: mayOpen(staff.member.roles, 'export'), search: searchOf(query) }))
    })

    app.get('/tickets.csv', { preHandler: kit.guard('export') }, async (request, reply) => {
      const query = kit.parseQuery(ticketQuery, request, reply)
      if (!query) return reply
      const staff = kit.staffOf(request)
      const { t, timeZone } = kit.viewOf(request)
      const now = ctx.clock.now()
      const { rows } = await listTickets(ctx.prisma, { ...ticketFilterOf(query, staff.tenant.id, timeZone, now), viewer: staff.member }, { take: EXPORT_LIMIT })
      const header = [t('col.number'), t('col.kind'), t('col.status'), t('col.priority'), t('col.unit'), t('col.description'), t('col.contact'), t('col.phone'), t('col.assignee'), t('col.department'), t('col.createdAt'), t('detail.respondBy'), t('detail.resolveBy'), t('detail.completedAt')]
      const body = toCsv(
        header,
        rows.map((row) => [
          row.number,
          t(`kind.${row.kind}`),
          t(`status.${row.status}`),
          t(`priority.${row.priority}`),
          row.unit,
          row.description,
          row.contactName,
          row.contactPhone,
          row.assignee?.name,
          row.department?.name,
          formatTime(row.createdAt, timeZone),
          formatTime(row.respondBy, timeZone),
          formatTime(row.resolveBy, timeZone),
          formatTime(row.completedAt, timeZone),
        ]),
      )
      request.log.info({ event: 'workspace.export', what: 'tickets', rows: rows.length, memberId: staff.member.id }, 'workspace export')
      return sendCsv(reply, 'tickets.csv', body)
    })

    app.get('/tickets/:number', { preHandler: kit.guard('tickets') }, async (request, reply) => {
      const number = Number((request.params as { number: string }).number)
      if (!Number.isInteger(number) || number < 1 || number > 2 ** 31 - 1) return kit.refuse(request, reply, 404, 'notFound')
      const staff = kit.staffOf(request)
      try {
        const details = await showRepair(ctx.prisma, { tenantId: staff.tenant.id, number, viewer: staff.member })
        return sendPage(reply, TicketDetailPage({ view: kit.viewOf(request), details, now: ctx.clock.now() }))
      } catch (error) {
        if ((error as Error).message?.startsWith('ticket.not_')) return kit.refuse(request, reply, 404, 'notFound')
        throw error
      }
    })
  }
}
