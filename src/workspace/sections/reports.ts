import type { FastifyInstance } from 'fastify'
import { periodFigures, trend } from '../../domain/reports/index.ts'
import { reportQuery } from '../filters.ts'
import { isoDate, today } from '../format.ts'
import { ReportsPage } from '../pages/reports.tsx'
import { sendPage } from '../render.ts'
import type { SectionKit } from '../routes.ts'

/** The trend chart covers the range, up to a quarter of days. */
const MAX_TREND_DAYS = 92

export function reportRoutes(kit: SectionKit) {
  const { ctx } = kit
  return async (app: FastifyInstance) => {
    app.get('/reports', { preHandler: kit.guard('reports') }, async (request, reply) => {
      const query = kit.parseQuery(reportQuery, request, reply)
      if (!query) return reply
      const staff = kit.staffOf(request)
      const tenantId = staff.tenant.id
      const now = today(ctx.clock.now(), staff.tenant.timeZone)
      // Opens on this month so far, the figure a director checks every morning.
      let from = query.from ?? isoDate({ ...now, day: 1 })
      let to = query.to ?? isoDate(now)
      if (from > to) [from, to] = [to, from]
      const days = Math.min(MAX_TREND_DAYS, Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1)
      const [work, maintenance, management, daily] = await Promise.all([
        periodFigures(ctx.prisma, { tenantId, from, to, scope: 'front_desk' }),
        periodFigures(ctx.prisma, { tenantId, from, to, scope: 'maintenance' }),
        periodFigures(ctx.prisma, { tenantId, from, to, scope: 'management' }),
        trend(ctx.prisma, { tenantId, days, until: to }),
      ])
      return sendPage(reply, ReportsPage({ view: kit.viewOf(request), from, to, work, maintenance, management, trend: daily }))
    })
  }
}
