import type { Tx } from '../tickets/types.ts'
import type { Change, ReportPeriod } from './types.ts'

type Reader = Pick<Tx, '$queryRaw'>

/** Live bookings (not cancelled or removed) starting in each of the given periods. */
export async function bookingStarts(db: Reader, tenantId: string, periods: ReportPeriod[]): Promise<number[]> {
  const from = new Date(Math.min(...periods.map((p) => p.from.getTime())))
  const to = new Date(Math.max(...periods.map((p) => p.to.getTime())))
  const rows = await db.$queryRaw<{ startsAt: Date }[]>`
    SELECT "startsAt" FROM "Booking"
    WHERE "tenantId" = ${tenantId} AND "status" IN ('unconfirmed','confirmed','checked_in','no_show','completed')
      AND "startsAt" >= ${from} AND "startsAt" < ${to}`
  return periods.map((p) => rows.filter((r) => r.startsAt >= p.from && r.startsAt < p.to).length)
}

export interface FollowUpCounts {
  due: Change
  done: Change
  overdue: Change
}

/**
 * Follow-ups whose window closes in the period (due), done in it, and those past their window and
 * not done at its end (overdue, as of then). Cancelled ones never count.
 */
export async function followUpCounts(db: Reader, tenantId: string, period: ReportPeriod, before: ReportPeriod): Promise<FollowUpCounts> {
  const [cur, prev] = [period, before]
  const rows = await db.$queryRaw<Record<string, number>[]>`
    SELECT
      count(*) FILTER (WHERE "dueBy" >= ${cur.from} AND "dueBy" < ${cur.to})::int AS "due",
      count(*) FILTER (WHERE "dueBy" >= ${prev.from} AND "dueBy" < ${prev.to})::int AS "dueBefore",
      count(*) FILTER (WHERE "doneAt" >= ${cur.from} AND "doneAt" < ${cur.to})::int AS "done",
      count(*) FILTER (WHERE "doneAt" >= ${prev.from} AND "doneAt" < ${prev.to})::int AS "doneBefore",
      count(*) FILTER (WHERE "dueBy" < ${cur.to} AND "createdAt" < ${cur.to} AND ("doneAt" IS NULL OR "doneAt" >= ${cur.to}))::int AS "overdue",
      count(*) FILTER (WHERE "dueBy" < ${prev.to} AND "createdAt" < ${prev.to} AND ("doneAt" IS NULL OR "doneAt" >= ${prev.to}))::int AS "overdueBefore"
    FROM "FollowUp"
    WHERE "tenantId" = ${tenantId} AND "status" <> 'cancelled'
      AND ("status" IN ('pending','overdue') OR "dueBy" >= ${prev.from} OR "doneAt" >= ${prev.from})`
  const r = rows[0]
  const change = (key: string): Change => ({ value: r[key] ?? 0, previous: r[`${key}Before`] ?? 0 })
  return { due: change('due'), done: change('done'), overdue: change('overdue') }
}
