import type { Tx } from '../tickets/types.ts'
import type { ArrivalTimes, Change, KindCounts, ReportPeriod, TechnicianLoad } from './types.ts'

type Reader = Pick<Tx, '$queryRaw'>

export interface TicketCounts {
  repairs: KindCounts
  complaints: KindCounts
  lateComplaints: Change
  majorComplaints: Change
  repeatRepairs: Change
  repeatComplainants: Change
  overdueRepairs: Change
}

interface Row {
  [key: string]: number
}

/**
 * The ticket figures of a period and the one before in one scan of the tickets that can matter:
 * those still open, and those recorded, done or cancelled since the earlier period began. "Open at
 * the end" is as of then (recorded before, not done or cancelled before), so yesterday's figure
 * does not change when a ticket is finished today.
 */
export async function ticketCounts(db: Reader, tenantId: string, period: ReportPeriod, before: ReportPeriod): Promise<TicketCounts> {
  const since = before.from
  const [cur, prev] = [period, before]
  const rows = await db.$queryRaw<Row[]>`
    SELECT
      count(*) FILTER (WHERE "kind" = 'repair' AND "createdAt" >= ${cur.from} AND "createdAt" < ${cur.to})::int AS "repairCreated",
      count(*) FILTER (WHERE "kind" = 'repair' AND "createdAt" >= ${prev.from} AND "createdAt" < ${prev.to})::int AS "repairCreatedBefore",
      count(*) FILTER (WHERE "kind" = 'repair' AND "completedAt" >= ${cur.from} AND "completedAt" < ${cur.to})::int AS "repairHandled",
      count(*) FILTER (WHERE "kind" = 'repair' AND "completedAt" >= ${prev.from} AND "completedAt" < ${prev.to})::int AS "repairHandledBefore",
      count(*) FILTER (WHERE "kind" = 'repair' AND "createdAt" < ${cur.to} AND ("completedAt" IS NULL OR "completedAt" >= ${cur.to}) AND ("cancelledAt" IS NULL OR "cancelledAt" >= ${cur.to}))::int AS "repairOpen",
      count(*) FILTER (WHERE "kind" = 'repair' AND "createdAt" < ${prev.to} AND ("completedAt" IS NULL OR "completedAt" >= ${prev.to}) AND ("cancelledAt" IS NULL OR "cancelledAt" >= ${prev.to}))::int AS "repairOpenBefore",
      count(*) FILTER (WHERE "kind" = 'complaint' AND "createdAt" >= ${cur.from} AND "createdAt" < ${cur.to})::int AS "complaintCreated",
      count(*) FILTER (WHERE "kind" = 'complaint' AND "createdAt" >= ${prev.from} AND "createdAt" < ${prev.to})::int AS "complaintCreatedBefore",
      count(*) FILTER (WHERE "kind" = 'complaint' AND "completedAt" >= ${cur.from} AND "completedAt" < ${cur.to})::int AS "complaintHandled",
      count(*) FILTER (WHERE "kind" = 'complaint' AND "completedAt" >= ${prev.from} AND "completedAt" < ${prev.to})::int AS "complaintHandledBefore",
      count(*) FILTER (WHERE "kind" = 'complaint' AND "createdAt" < ${cur.to} AND ("completedAt" IS NULL OR "completedAt" >= ${cur.to}) AND ("cancelledAt" IS NULL OR "cancelledAt" >= ${cur.to}))::int AS "complaintOpen",
      count(*) FILTER (WHERE "kind" = 'complaint' AND "createdAt" < ${prev.to} AND ("completedAt" IS NULL OR "completedAt" >= ${prev.to}) AND ("cancelledAt" IS NULL OR "cancelledAt" >= ${prev.to}))::int AS "complaintOpenBefore",
      count(*) FILTER (WHERE "kind" = 'complaint' AND "recordedLate" AND "createdAt" >= ${cur.from} AND "createdAt" < ${cur.to})::int AS "late",
      count(*) FILTER (WHERE "kind" = 'complaint' AND "recordedLate" AND "createdAt" >= ${prev.from} AND "createdAt" < ${prev.to})::int AS "lateBefore",
      count(*) FILTER (WHERE "kind" = 'complaint' AND "major" AND "createdAt" >= ${cur.from} AND "createdAt" < ${cur.to})::int AS "major",
      count(*) FILTER (WHERE "kind" = 'complaint' AND "major" AND "createdAt" >= ${prev.from} AND "createdAt" < ${prev.to})::int AS "majorBefore",
      count(*) FILTER (WHERE "kind" = 'repair' AND "repeatFlag" AND "createdAt" >= ${cur.from} AND "createdAt" < ${cur.to})::int AS "repeatRepairs",
      count(*) FILTER (WHERE "kind" = 'repair' AND "repeatFlag" AND "createdAt" >= ${prev.from} AND "createdAt" < ${prev.to})::int AS "repeatRepairsBefore",
      count(*) FILTER (WHERE "kind" = 'complaint' AND "repeatFlag" AND "createdAt" >= ${cur.from} AND "createdAt" < ${cur.to})::int AS "repeatComplainants",
      count(*) FILTER (WHERE "kind" = 'complaint' AND "repeatFlag" AND "createdAt" >= ${prev.from} AND "createdAt" < ${prev.to})::int AS "repeatComplainantsBefore",
      count(*) FILTER (WHERE "kind" = 'repair' AND "resolveBy" < ${cur.to} AND "createdAt" < ${cur.to} AND ("completedAt" IS NULL OR "completedAt" >= ${cur.to}) AND ("cancelledAt" IS NULL OR "cancelledAt" >= ${cur.to}))::int AS "overdue",
      count(*) FILTER (WHERE "kind" = 'repair' AND "resolveBy" < ${prev.to} AND "createdAt" < ${prev.to} AND ("completedAt" IS NULL OR "completedAt" >= ${prev.to}) AND ("cancelledAt" IS NULL OR "cancelledAt" >= ${prev.to}))::int AS "overdueBefore"
    FROM "Ticket"
    WHERE "tenantId" = ${tenantId}
      AND ("status" IN ('open','assigned','on_site') OR "createdAt" >= ${since} OR "completedAt" >= ${since} OR "cancelledAt" >= ${since})`
  const r = rows[0]
  const change = (key: string): Change => ({ value: r[key] ?? 0, previous: r[`${key}Before`] ?? 0 })
  const kind = (k: 'repair' | 'complaint'): KindCounts => ({ created: change(`${k}Created`), handled: change(`${k}Handled`), open: change(`${k}Open`) })
  return {
    repairs: kind('repair'),
    complaints: kind('complaint'),
    lateComplaints: change('late'),
    majorComplaints: change('major'),
    repeatRepairs: change('repeatRepairs'),
    repeatComplainants: change('repeatComplainants'),
    overdueRepairs: change('overdue'),
  }
}

/** Open and done repairs per technician: open as of the period's end, done within it. */
export async function technicianLoads(db: Reader & Pick<Tx, 'member'>, tenantId: string, period: ReportPeriod): Promise<TechnicianLoad[]> {
  const rows = await db.$queryRaw<{ memberId: string; open: number; done: number }[]>`
    SELECT "assigneeId" AS "memberId",
      count(*) FILTER (WHERE "createdAt" < ${period.to} AND ("completedAt" IS NULL OR "completedAt" >= ${period.to}) AND ("cancelledAt" IS NULL OR "cancelledAt" >= ${period.to}))::int AS "open",
      count(*) FILTER (WHERE "completedAt" >= ${period.from} AND "completedAt" < ${period.to})::int AS "done"
    FROM "Ticket"
    WHERE "tenantId" = ${tenantId} AND "kind" = 'repair' AND "assigneeId" IS NOT NULL
      AND ("status" IN ('open','assigned','on_site') OR "completedAt" >= ${period.from} OR "cancelledAt" >= ${period.from})
    GROUP BY "assigneeId"`
  const counted = rows.filter((row) => row.open + row.done > 0)
  const members = await db.member.findMany({ where: { tenantId, id: { in: counted.map((row) => row.memberId) } }, select: { id: true, name: true } })
  const names = new Map(members.map((m) => [m.id, m.name]))
  return counted.map((row) => ({ memberId: row.memberId, name: names.get(row.memberId) ?? '', open: row.open, done: row.done })).sort((a, b) => a.name.localeCompare(b.name))
}

/**
 * Minutes from recording to arrival for repairs without an appointment whose technician arrived
 * in the period, against the on-site limit (15 minutes unless the tenant changed it).
 */
export async function arrivalTimes(db: Reader, tenantId: string, period: ReportPeriod, limitMinutes: number): Promise<ArrivalTimes> {
  const rows = await db.$queryRaw<{ count: number; median: number | null; slowest: number | null; over: number }[]>`
    SELECT count(*)::int AS "count",
      percentile_cont(0.5) WITHIN GROUP (ORDER BY minutes)::float8 AS "median",
      max(minutes)::float8 AS "slowest",
      count(*) FILTER (WHERE minutes > ${limitMinutes})::int AS "over"
    FROM (
      SELECT EXTRACT(EPOCH FROM ("arrivedAt" - "createdAt")) / 60 AS minutes FROM "Ticket"
      WHERE "tenantId" = ${tenantId} AND "kind" = 'repair' AND "appointmentAt" IS NULL
        AND "arrivedAt" >= ${period.from} AND "arrivedAt" < ${period.to}
        AND ("status" IN ('open','assigned','on_site') OR "completedAt" >= ${period.from} OR "cancelledAt" >= ${period.from})
    ) AS arrived`
  const r = rows[0]
  const round = (n: number | null) => (n === null ? null : Math.round(n * 10) / 10)
  return { count: r.count, medianMinutes: round(r.median), slowestMinutes: round(r.slowest), limitMinutes, overLimit: r.over }
}
