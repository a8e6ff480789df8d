import type { FastifyInstance, FastifyRequest } from 'fastify'
import { listFollowUps } from '../../domain/follow-ups/queries.ts'
import { mayOpen } from '../auth/permissions.ts'
import { toCsv } from '../csv.ts'
import { followUpQuery, type FollowUpQuery } from '../filters.ts'
import { addDays, formatTime, parseIsoDate, startOfDay } from '../format.ts'
import { followUpSubject, FollowUpsPage } from '../pages/follow-ups.tsx'
import { sendCsv, sendPage } from '../render.ts'
import type { SectionKit } from '../routes.ts'

export function followUpRoutes(kit: SectionKit) {
  const { ctx } = kit
  const load = (request: FastifyRequest, query: FollowUpQuery, take: number) => {
    const staff = kit.staffOf(request)
    const zone = staff.tenant.timeZone
    const from = parseIsoDate(query.from)
    const to = parseIsoDate(query.to)
    return listFollowUps(
      ctx.prisma,
      {
        tenantId: staff.tenant.id,
        viewer: staff.member,
        // The queue opens on what is still to do; a status filter shows the rest.
        status: query.status ?? ['pending', 'overdue'],
        dueFrom: from ? startOfDay(from, zone) : undefined,
        dueUntil: to ? startOfDay(addDays(to, 1), zone) : undefined,
      },
      take,
    )
  }
  const searchOf = (query: FollowUpQuery) => new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined) as [string, string][]).toString()

  return async (app: FastifyInstance) => {
    app.get('/follow-ups', { preHandler: kit.guard('followUps') }, async (request, reply) => {
      const query = kit.parseQuery(followUpQuery, request, reply)
      if (!query) return reply
      const staff = kit.staffOf(request)
      const rows = await load(request, query, 200)
      return sendPage(reply, FollowUpsPage({ view: kit.viewOf(request), query, rows, now: ctx.clock.now(), mayExport: mayOpen(staff.member.roles, 'export'), search: searchOf(query) }))
    })

    app.get('/follow-ups.csv', { preHandler: kit.guard('export') }, async (request, reply) => {
      const query = kit.parseQuery(followUpQuery, request, reply)
      if (!query) return reply
      const { t, timeZone } = kit.viewOf(request)
      const rows = await load(request, query, 10_000)
      const body = toCsv(
        [t('col.subject'), t('col.followUpKind'), t('col.status'), t('col.dueBy'), t('col.contact'), t('col.phone'), t('col.assignee'), t('col.outcome'), t('col.rating')],
        rows.map((row) => [
          followUpSubject(row, t),
          row.kind,
          t(`fu.${row.status}`),
          formatTime(row.dueBy, timeZone),
          row.ticket?.contactName ?? row.booking?.customerName,
          row.ticket?.contactPhone ?? row.booking?.customerPhone,
          row.assignee?.name,
          row.outcome ? t(`outcome.${row.outcome}`) : '',
          row.rating,
        ]),
      )
      return sendCsv(reply, 'follow-ups.csv', body)
    })
  }
}
