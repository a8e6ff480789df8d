import type { FastifyInstance, FastifyRequest } from 'fastify'
import { rangeChartTitle, trendChartPng } from '../../domain/reports/chart.ts'
import { periodFigures, trend } from '../../domain/reports/index.ts'
import { reportLocale } from '../../domain/reports/messages.ts'
import { reportQuery, type ReportQuery } from '../filters.ts'
import { isoDate, today } from '../format.ts'
import { ReportsPage } from '../pages/reports.tsx'
import { sendPage, SECURITY_HEADERS } from '../render.ts'
import type { SectionKit } from '../routes.ts'

/** The trend chart covers the range, up to a quarter of days. */
const MAX_TREND_DAYS = 92

export function reportRoutes(kit: SectionKit) {
  const { ctx } = kit

  /** The range asked for, in order; it opens on this month so far, the figure a director checks every morning. */
  const rangeOf = (request: FastifyRequest, query: ReportQuery) => {
    const staff = kit.staffOf(request)
    const now = today(ctx.clock.now(), staff.tenant.timeZone)
    let from = query.from ?? isoDate({ ...now, day: 1 })
    let to = query.to ?? isoDate(now)
    if (from > to) [from, to] = [to, from]
    return { tenantId: staff.tenant.id, from, to }
  }

  return async (app: FastifyInstance) => {
    app.get('/reports', { preHandler: kit.guard('reports') }, async (request, reply) => {
      const query = kit.parseQuery(reportQuery, request, reply)
      if (!query) return reply
      const { tenantId, from, to } = rangeOf(request, query)
      const [work, maintenance, management] = await Promise.all([
        periodFigures(ctx.prisma, { tenantId, from, to, scope: 'front_desk' }),
        periodFigures(ctx.prisma, { tenantId, from, to, scope: 'maintenance' }),
        periodFigures(ctx.prisma, { tenantId, from, to, scope: 'management' }),
      ])
      return sendPage(reply, ReportsPage({ view: kit.viewOf(request), from, to, work, maintenance, management }))
    })

    // The chat's chart (same trend(), same ECharts drawing), for the signed-in member's tenant only.
    app.get('/reports/chart.png', { preHandler: kit.guard('reports') }, async (request, reply) => {
      const query = kit.parseQuery(reportQuery, request, reply)
      if (!query) return reply
      const { tenantId, from, to } = rangeOf(request, query)
      const days = Math.min(MAX_TREND_DAYS, Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1)
      const daily = await trend(ctx.prisma, { tenantId, days, until: to })
      const locale = reportLocale(kit.viewOf(request).locale)
      // Titled with the days it draws (a range past MAX_TREND_DAYS ends at `to`), not the summaries' 7 days.
      const { png } = trendChartPng(daily, locale, rangeChartTitle(daily, locale))
      return reply.headers(SECURITY_HEADERS).type('image/png').send(png)
    })
  }
}
