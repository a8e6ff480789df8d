import { maskPhones } from '../../text/phone.ts'
import type { Tx } from '../tickets/types.ts'
import type { Change, DeadLetter, ReportPeriod } from './types.ts'

type Reader = Pick<Tx, '$queryRaw'>

/**
 * Deadlines missed and escalations raised: reminder rows that came due in the period and fired.
 * A *_breach reminder is a missed resolution deadline; an *_escalation one went to the supervisors.
 */
export async function alertCounts(db: Reader, tenantId: string, period: ReportPeriod, before: ReportPeriod): Promise<{ breaches: Change; escalations: Change }> {
  const rows = await db.$queryRaw<Record<string, number>[]>`
    SELECT
      count(*) FILTER (WHERE "kind" LIKE '%\\_breach' AND "dueAt" >= ${period.from})::int AS "breaches",
      count(*) FILTER (WHERE "kind" LIKE '%\\_breach' AND "dueAt" < ${period.from})::int AS "breachesBefore",
      count(*) FILTER (WHERE "kind" LIKE '%\\_escalation' AND "dueAt" >= ${period.from})::int AS "escalations",
      count(*) FILTER (WHERE "kind" LIKE '%\\_escalation' AND "dueAt" < ${period.from})::int AS "escalationsBefore"
    FROM "Reminder"
    WHERE "status" = 'sent' AND "dueAt" >= ${before.from} AND "dueAt" < ${period.to} AND "tenantId" = ${tenantId}`
  const r = rows[0]
  return { breaches: { value: r.breaches, previous: r.breachesBefore }, escalations: { value: r.escalations, previous: r.escalationsBefore } }
}

const DEAD_LETTER_LIST_LIMIT = 50
/** A message gives up after about 17 minutes of retries, so one created this long before the period can still die in it. */
const RETRY_SPAN_MS = 24 * 3600_000

/** Every message that ended undelivered in the period (and how many in the one before), so nothing fails silently. */
export async function deadLetters(db: Reader, tenantId: string, period: ReportPeriod, before: ReportPeriod): Promise<{ count: Change; items: DeadLetter[] }> {
  const rows = await db.$queryRaw<{ id: string; at: Date; platform: string; lastError: string | null; groupName: string | null }[]>`
    SELECT m."id", m."updatedAt" AS "at", m."platform"::text AS "platform", m."lastError", g."name" AS "groupName"
    FROM "OutgoingMessage" m LEFT JOIN "ChatGroup" g ON g."id" = m."groupId"
    WHERE m."tenantId" = ${tenantId} AND m."deadLetter" = true
      AND m."createdAt" >= ${new Date(before.from.getTime() - RETRY_SPAN_MS)} AND m."createdAt" < ${period.to}
      AND m."updatedAt" >= ${before.from} AND m."updatedAt" < ${period.to}
    ORDER BY m."updatedAt" ASC`
  const current = rows.filter((row) => row.at >= period.from)
  return {
    count: { value: current.length, previous: rows.length - current.length },
    items: current.slice(0, DEAD_LETTER_LIST_LIMIT).map((row) => ({
      id: row.id,
      at: row.at,
      platform: row.platform,
      groupName: row.groupName,
      error: row.lastError ? maskPhones(row.lastError).slice(0, 120) : null,
    })),
  }
}
