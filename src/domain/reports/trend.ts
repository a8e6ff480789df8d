import { addDays, isoDate } from '../time.ts'
import type { ReportReader } from './figures.ts'
import { dayPeriod, parseIsoDate } from './periods.ts'
import type { Trend, TrendSeries } from './types.ts'

/**
 * Daily counts for the `days` local dates ending with `until` (included), oldest first: repairs
 * and complaints recorded and done, live bookings starting, follow-ups done. Counted per local
 * date in the tenant's zone by PostgreSQL, one statement per table.
 */
export async function trend(db: ReportReader, input: { tenantId: string; days?: number; until: string }): Promise<Trend> {
  const days = input.days ?? 7
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: input.tenantId }, select: { timeZone: true } })
  const tz = tenant.timeZone
  const last = parseIsoDate(input.until)
  const dates = Array.from({ length: days }, (_, i) => isoDate(addDays(last, i - days + 1)))
  const from = dates[0]
  const to = isoDate(addDays(last, 1))
  // Bounds as local midnights, so the (tenantId, …At) indexes take them as ranges.
  const [start, end] = [dayPeriod(from, tz).from, dayPeriod(to, tz).from]

  const tickets = await db.$queryRaw<{ day: string; kind: string; created: number; handled: number }[]>`
    SELECT day, kind, sum(created)::int AS created, sum(handled)::int AS handled FROM (
      SELECT to_char("createdAt" AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day, "kind"::text AS kind, 1 AS created, 0 AS handled
        FROM "Ticket" WHERE "tenantId" = ${input.tenantId} AND "createdAt" >= ${start} AND "createdAt" < ${end}
      UNION ALL
      SELECT to_char("completedAt" AT TIME ZONE ${tz}, 'YYYY-MM-DD'), "kind"::text, 0, 1
        FROM "Ticket" WHERE "tenantId" = ${input.tenantId} AND "completedAt" >= ${start} AND "completedAt" < ${end}
    ) AS t GROUP BY day, kind`
  const bookings = await db.$queryRaw<{ day: string; n: number }[]>`
    SELECT to_char("startsAt" AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day, count(*)::int AS n FROM "Booking"
    WHERE "tenantId" = ${input.tenantId} AND "status" IN ('unconfirmed','confirmed','checked_in','no_show','completed')
      AND "startsAt" >= ${start} AND "startsAt" < ${end} GROUP BY 1`
  const followUps = await db.$queryRaw<{ day: string; n: number }[]>`
    SELECT to_char("doneAt" AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS day, count(*)::int AS n FROM "FollowUp"
    WHERE "tenantId" = ${input.tenantId} AND "status" = 'done' AND "doneAt" >= ${start} AND "doneAt" < ${end} GROUP BY 1`

  const byDay = (rows: { day: string; n: number }[]) => dates.map((d) => rows.find((r) => r.day === d)?.n ?? 0)
  const ticketSeries = (kind: string, field: 'created' | 'handled') => byDay(tickets.filter((r) => r.kind === kind).map((r) => ({ day: r.day, n: r[field] })))
  const series: TrendSeries[] = [
    { key: 'repairsCreated', values: ticketSeries('repair', 'created') },
    { key: 'repairsHandled', values: ticketSeries('repair', 'handled') },
    { key: 'complaintsCreated', values: ticketSeries('complaint', 'created') },
    { key: 'complaintsHandled', values: ticketSeries('complaint', 'handled') },
    { key: 'bookings', values: byDay(bookings) },
    { key: 'followUpsDone', values: byDay(followUps) },
  ]
  return { tenantId: input.tenantId, timeZone: tz, dates, series }
}
