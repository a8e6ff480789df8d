import pg from 'pg'
import type { PlanNode } from './statements.ts'

/**
 * Years of work for one tenant, seeded by SQL, for the daily summary's bench and plan test:
 * tickets one every few minutes back over two years (a fifth complaints, most done and closed,
 * the newest still open), a follow-up for every other ticket, bookings on ten resources over a
 * year around today, and the sent breach and escalation reminders of the tickets that had them.
 * Times are relative to `now`, so "today" has a normal day's work in it.
 */
export interface ReportHistory {
  tenantId: string
  tickets: number
  bookings: number
  now: Date
}

const HISTORY_DAYS = 730

export async function seedReportHistory(client: pg.Client, input: ReportHistory): Promise<void> {
  const { tenantId, tickets, bookings, now } = input
  const minutesPerTicket = (HISTORY_DAYS * 24 * 60) / tickets
  await client.query(
    `INSERT INTO "Member" (id, "tenantId", platform, "externalUserId", name, roles)
     SELECT 'hist-tech-' || n, $1, 'console'::"Platform", 'hist-tech-' || n, '师傅' || n, ARRAY['technician']::"Role"[] FROM generate_series(0, 9) AS n
     UNION ALL
     SELECT 'hist-agent-' || n, $1, 'console'::"Platform", 'hist-agent-' || n, '前台' || n, ARRAY['agent']::"Role"[] FROM generate_series(0, 4) AS n`,
    [tenantId],
  )
  // Ticket n was recorded n steps before now; the newest 1 in 400 are still open.
  await client.query(
    `INSERT INTO "Ticket" (id, "tenantId", number, kind, status, priority, unit, category, description, "contactPhone", "assigneeId",
                           "createdAt", "updatedAt", "respondBy", "resolveBy", "assignedAt", "arrivedAt", "completedAt", "closedAt", "cancelledAt",
                           "repeatFlag", major, "recordedLate", "receivedAt")
     SELECT 'hist-t-' || n, $1, n, kind, status::"TicketStatus", (CASE WHEN n % 7 = 0 THEN 'urgent' ELSE 'normal' END)::"Priority",
            (n % 30) || '-' || (n % 4) || '-' || (n % 600), 'plumbing', '历史工单', '138' || lpad((n % 100000000)::text, 8, '0'), 'hist-tech-' || (n % 10),
            created, created, created + interval '15 minutes', created + interval '48 hours', created + interval '3 minutes',
            CASE WHEN kind = 'repair' THEN created + make_interval(mins => 5 + n % 20) END,
            CASE WHEN status IN ('done', 'closed') THEN created + interval '2 hours' END,
            CASE WHEN status = 'closed' THEN created + interval '26 hours' END,
            CASE WHEN status = 'cancelled' THEN created + interval '1 hour' END,
            n % 97 = 0, kind = 'complaint' AND n % 23 = 0, kind = 'complaint' AND n % 31 = 0,
            CASE WHEN kind = 'complaint' THEN created - interval '10 minutes' END
     FROM (
       SELECT n, $2::timestamptz - make_interval(secs => n * $3::float8 * 60) AS created,
              (CASE WHEN n % 5 = 0 THEN 'complaint' ELSE 'repair' END)::"TicketKind" AS kind,
              CASE WHEN n % 400 = 1 THEN 'open' WHEN n % 400 = 2 THEN 'assigned' WHEN n % 50 = 0 THEN 'cancelled'
                   WHEN n < 2000 AND n % 3 = 0 THEN 'done' ELSE 'closed' END AS status
       FROM generate_series(1, $4::int) AS n
     ) AS t`,
    [tenantId, now, minutesPerTicket, tickets],
  )
  await client.query(`UPDATE "Tenant" SET "lastTicketNumber" = $2 WHERE id = $1`, [tenantId, tickets])
  // Every other done ticket owed a call-back the next day: the last day's are still due, one in
  // twenty went unanswered (overdue this week, ended unreachable before), the rest were reached.
  await client.query(
    `INSERT INTO "FollowUp" (id, "tenantId", "ticketId", kind, status, "dueFrom", "dueBy", outcome, rating, "doneAt", "createdAt")
     SELECT 'hist-f-' || number, "tenantId", id, CASE WHEN kind = 'complaint' THEN 'complaint' ELSE 'repair_callback' END, state::"FollowUpStatus",
            "completedAt", "completedAt" + interval '1 day',
            (CASE WHEN state <> 'done' THEN NULL WHEN missed THEN 'unreachable' WHEN number % 9 = 0 THEN 'unsatisfied' ELSE 'satisfied' END)::"FollowUpOutcome",
            CASE WHEN state = 'done' AND NOT missed THEN 3 + number % 3 END,
            CASE WHEN state = 'done' THEN "completedAt" + CASE WHEN missed THEN interval '2 days' ELSE interval '3 hours' END END,
            "completedAt"
     FROM (
       SELECT t.*, t.number % 20 = 0 AS missed,
              CASE WHEN t."completedAt" > $2::timestamptz - interval '1 day' THEN 'pending'
                   WHEN t.number % 20 = 0 AND t."completedAt" > $2::timestamptz - interval '7 days' THEN 'overdue' ELSE 'done' END AS state
       FROM "Ticket" t WHERE t."tenantId" = $1 AND t."completedAt" IS NOT NULL AND t.number % 2 = 0
     ) AS f`,
    [tenantId, now],
  )
  await client.query(
    `INSERT INTO "Reminder" (id, "tenantId", kind, "subjectType", "subjectId", "dueAt", status, "firedAt", "createdAt")
     SELECT 'hist-r-' || t.number, t."tenantId", CASE WHEN t.number % 2 = 0 THEN t.kind || '.resolve_breach' ELSE t.kind || '.answer_escalation' END,
            'ticket', t.id, t."createdAt" + interval '1 hour', 'sent', t."createdAt" + interval '1 hour', t."createdAt"
     FROM "Ticket" t WHERE t."tenantId" = $1 AND t.number % 13 = 0`,
    [tenantId],
  )
  // Ten resources, each booked for an hour every 8.76 hours from 300 days ago; a tenth cancelled, some no-shows.
  await client.query(
    `INSERT INTO "Resource" (id, "tenantId", name, "maxAdvanceDays") SELECT 'hist-res-' || n, $1, '会议室' || n, 730 FROM generate_series(0, 9) AS n`,
    [tenantId],
  )
  await client.query(
    `INSERT INTO "Booking" (id, "tenantId", number, "resourceId", status, "customerName", "customerPhone", "startsAt", "endsAt", "holdFrom", "holdUntil",
                            "createdById", "cancelledAt", "cancelledById", "noShowAt", "checkedInAt", "createdAt", "updatedAt")
     SELECT 'hist-b-' || n, $1, n, 'hist-res-' || (n % 10), status::"BookingStatus", '客人' || n, '139' || lpad(n::text, 8, '0'),
            starts, starts + interval '1 hour', starts, starts + interval '1 hour', 'hist-agent-' || (n % 5),
            CASE WHEN status = 'cancelled' THEN starts - interval '1 day' END, CASE WHEN status = 'cancelled' THEN 'hist-agent-' || (n % 5) END,
            CASE WHEN status = 'no_show' THEN starts + interval '30 minutes' END,
            CASE WHEN status IN ('checked_in', 'completed') THEN starts END,
            starts - interval '3 days', starts - interval '3 days'
     FROM (
       SELECT n, $2::timestamptz - interval '300 days' + make_interval(secs => (n / 10) * 8.76 * 3600) AS starts,
              CASE WHEN n % 10 = 3 THEN 'cancelled'
                   WHEN $2::timestamptz - interval '300 days' + make_interval(secs => (n / 10) * 8.76 * 3600) > $2::timestamptz THEN 'confirmed'
                   WHEN n % 17 = 0 THEN 'no_show' ELSE 'checked_in' END AS status
       FROM generate_series(1, $3::int) AS n
     ) AS b`,
    [tenantId, now, bookings],
  )
  await client.query(`UPDATE "Tenant" SET "lastBookingNumber" = $2 WHERE id = $1`, [tenantId, bookings])
  // As autovacuum does after a bulk load: without statistics the planner guesses.
  for (const table of ['Ticket', 'FollowUp', 'Reminder', 'Booking', 'Member', 'Resource']) await client.query(`ANALYZE "${table}"`)
}

/** The tables whose history grows without bound: a report must reach them through an index. */
export const HISTORY_TABLES = ['Ticket', 'Booking', 'FollowUp', 'Reminder']

/** Every scan of a history table in the plan, with the rows it touched (returned and filtered out). */
export function historyScans(node: PlanNode): { node: PlanNode; read: number }[] {
  const own = node['Relation Name'] && HISTORY_TABLES.includes(node['Relation Name'])
    ? [{ node, read: node['Actual Rows'] * node['Actual Loops'] + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0) }]
    : []
  return [...own, ...(node.Plans ?? []).flatMap(historyScans)]
}
