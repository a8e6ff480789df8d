import { Prisma, type Reminder, type Role, type Ticket, type TicketEvent } from '../../generated/prisma/client.ts'
import type { Mention } from '../../messages/reply.ts'
import { domainError } from '../errors.ts'
import type { RepairPolicy } from '../policy.ts'
import type { Tx } from './types.ts'

/** A new repair as it is to be stored: every column of its rows, built by the caller. */
export interface NewRepair {
  /** The ticket; its repeatFlag is decided here. */
  ticket: Ticket
  /** Its 'created' event; here its data gains the repeat count. */
  event: TicketEvent
  reminders: Reminder[]
  /** Whom the announcement @-mentions (active members with this role), if anyone. */
  mention: Role | null
}

export interface StoredRepair {
  ticket: Ticket
  /** Repairs of this unit and category within the repeat window, this one included. */
  repeatCount: number
  mentioned: Mention[]
  /** The supervisors to tell of a repeat repair (none unless the ticket is flagged). */
  supervisors: Mention[]
}

interface Row {
  repeatCount: number
  flagged: boolean
  reporterFound: boolean
  groupFound: boolean
  mentioned: Mention[]
  supervisors: Mention[]
}

/**
 * Stores a new repair in one statement: checks that its reporter and group are the tenant's,
 * counts the earlier repairs of its unit and category (repeat detection), and inserts the ticket,
 * its 'created' event and its reminders; it also reads whom to @-mention. The caller has taken the
 * ticket's number: that UPDATE locks the tenant's row until commit, so concurrent reports of one
 * tenant store one after the other and each count sees the repairs stored before it.
 */
export async function storeNewRepair(tx: Tx, repair: NewRepair, policy: RepairPolicy): Promise<StoredRepair> {
  const { ticket, event } = repair
  const since = new Date(ticket.createdAt.getTime() - policy.repeatWindowDays * 24 * 3600_000)
  const [row] = await tx.$queryRaw<Row[]>`
    WITH earlier AS (
      SELECT count(*)::int AS n FROM "Ticket"
      WHERE "tenantId" = ${ticket.tenantId} AND "kind" = 'repair' AND "unit" = ${ticket.unit} AND "category" = ${ticket.category}
        AND "createdAt" >= ${since} AND "status" <> 'cancelled'),
    checked AS (
      SELECT n + 1 AS "repeatCount", n + 1 >= ${policy.repeatThreshold} AS flagged,
        EXISTS (SELECT 1 FROM "Member" WHERE "id" = ${ticket.reporterId} AND "tenantId" = ${ticket.tenantId}) AS "reporterFound",
        (${ticket.groupId}::text IS NULL OR EXISTS (SELECT 1 FROM "ChatGroup" WHERE "id" = ${ticket.groupId} AND "tenantId" = ${ticket.tenantId})) AS "groupFound"
      FROM earlier),
    stored AS (
      INSERT INTO "Ticket"
      SELECT t.* FROM checked c, jsonb_populate_record(NULL::"Ticket", ${JSON.stringify(ticket)}::jsonb || jsonb_build_object('repeatFlag', c.flagged)) t
      WHERE c."reporterFound" AND c."groupFound"
      RETURNING "id"),
    recorded AS (
      INSERT INTO "TicketEvent"
      SELECT e.* FROM checked c, stored,
        jsonb_populate_record(NULL::"TicketEvent", ${JSON.stringify(event)}::jsonb || jsonb_build_object('data', ${JSON.stringify(event.data)}::jsonb || jsonb_build_object('repeatCount', c."repeatCount"))) e),
    planned AS (
      INSERT INTO "Reminder"
      SELECT r.* FROM jsonb_populate_recordset(NULL::"Reminder", ${JSON.stringify(repair.reminders)}::jsonb) r
      WHERE EXISTS (SELECT 1 FROM stored))
    SELECT c."repeatCount", c.flagged, c."reporterFound", c."groupFound",
      ${mentionsOf(ticket.tenantId, repair.mention)} AS mentioned,
      CASE WHEN c.flagged THEN ${mentionsOf(ticket.tenantId, 'supervisor')} ELSE '[]'::jsonb END AS supervisors
    FROM checked c`
  if (!row.reporterFound) throw domainError('member.not_found', { memberId: ticket.reporterId ?? '' })
  if (!row.groupFound) throw domainError('group.not_found')
  return { ticket: { ...ticket, repeatFlag: row.flagged }, repeatCount: row.repeatCount, mentioned: row.mentioned, supervisors: row.supervisors }
}

/** A subquery: the tenant's active members with `role` as mentions, listed as membersWithRole lists them ('[]' without a role). */
function mentionsOf(tenantId: string, role: Role | null): Prisma.Sql {
  return Prisma.sql`(
    SELECT coalesce(jsonb_agg(jsonb_build_object('userId', m."externalUserId", 'name', m."name") ORDER BY m."name", m."id"), '[]'::jsonb)
    FROM (SELECT "externalUserId", "name", "id" FROM "Member"
          WHERE "tenantId" = ${tenantId} AND "active" AND ${role}::"Role" = ANY("roles")
          ORDER BY "name", "id" LIMIT 20) m)`
}
