import { Prisma, type Member, type Role, type Tenant, type Ticket } from '../../generated/prisma/client.ts'
import { fromJsonRow, type DateFields } from '../../db/json-rows.ts'
import type { TicketWithAssignee, Tx } from './types.ts'

/** What a repair reminder needs of its ticket, read under the ticket's lock. */
export interface ReminderSubject {
  ticket: TicketWithAssignee
  tenant: Tenant
  /** Active members with the audience's role (at most 20, by name), when the audience is a role. */
  members: Member[]
}

// Every DateTime column of each model (the compiler refuses a missing or unknown one): to_jsonb
// writes them as ISO strings, and the domain works with Dates, as Prisma gives them.
const ticketDates: Record<DateFields<Ticket>, true> = {
  appointmentAt: true, respondBy: true, resolveBy: true, assignedAt: true, arrivedAt: true, completedAt: true,
  closedAt: true, cancelledAt: true, receivedAt: true, answeredAt: true, pausedAt: true, createdAt: true, updatedAt: true,
}
const memberDates: Record<DateFields<Member>, true> = { createdAt: true }
const tenantDates: Record<DateFields<Tenant>, true> = { createdAt: true, updatedAt: true }

/**
 * The tenant's rules are cached while its settings read the same (rules.ts compares the row as
 * JSON): jsonb sorts keys, so the row is put back in the columns' order Prisma reads them in.
 */
function tenantOf(row: Record<string, unknown>): Tenant {
  return fromJsonRow<Tenant>(Object.fromEntries(Object.keys(Prisma.TenantScalarFieldEnum).map((key) => [key, row[key]])), tenantDates)
}

/**
 * Locks the ticket (the lock its commands take, so a firing waits for a command and sees its
 * outcome) and reads it with its assignee, its tenant and the members to tell, in one statement:
 * a firing is the hot path when thousands fall due together. `role` is whom to tell when the
 * audience is a role; with `unlessAssigned`, only when the ticket has no assignee. Null when the
 * ticket is gone.
 */
export async function lockReminderSubject(tx: Tx, tenantId: string, ticketId: string, role: Role, unlessAssigned: boolean): Promise<ReminderSubject | null> {
  const rows = await tx.$queryRaw<{ ticket: Record<string, unknown>; assignee: Record<string, unknown> | null; tenant: Record<string, unknown>; members: Record<string, unknown>[] }[]>`
    SELECT to_jsonb(t) AS ticket, to_jsonb(a) AS assignee, to_jsonb(tn) AS tenant,
      CASE WHEN ${unlessAssigned} AND t."assigneeId" IS NOT NULL THEN '[]'::jsonb ELSE (
        SELECT coalesce(jsonb_agg(to_jsonb(m) ORDER BY m."name", m."id"), '[]'::jsonb)
        FROM (SELECT * FROM "Member" WHERE "tenantId" = t."tenantId" AND "active" AND ${role}::"Role" = ANY("roles")
              ORDER BY "name", "id" LIMIT 20) m) END AS members
    FROM "Ticket" t
    JOIN "Tenant" tn ON tn."id" = t."tenantId"
    LEFT JOIN "Member" a ON a."id" = t."assigneeId"
    WHERE t."id" = ${ticketId} AND t."tenantId" = ${tenantId}
    FOR UPDATE OF t`
  const row = rows[0]
  if (!row) return null
  const assignee = row.assignee ? fromJsonRow<Member>(row.assignee, memberDates) : null
  return {
    ticket: { ...fromJsonRow<Ticket>(row.ticket, ticketDates), assignee },
    tenant: tenantOf(row.tenant),
    members: row.members.map((member) => fromJsonRow<Member>(member, memberDates)),
  }
}

/**
 * Moves a still-pending reminder to its outcome and, when it was sent, records it on the ticket's
 * timeline, in one statement; false when another worker got there first (the event is written
 * only with the claim).
 */
export async function claimWithEvent(
  tx: Tx,
  reminderId: string,
  set: { status: 'sent' | 'skipped'; firedAt: Date; recipients: string[] },
  event: { tenantId: string; ticketId: string; data: Prisma.InputJsonObject } | null,
): Promise<boolean> {
  const rows = await tx.$queryRaw<{ claimed: number }[]>`
    WITH claimed AS (
      UPDATE "Reminder" SET "status" = ${set.status}::"ReminderStatus", "firedAt" = ${set.firedAt}, "recipients" = ${set.recipients}::text[], "attempts" = "attempts" + 1
      WHERE "id" = ${reminderId} AND "status" = 'pending'
      RETURNING "id"),
    recorded AS (
      INSERT INTO "TicketEvent" ("id", "tenantId", "ticketId", "type", "actorId", "data", "at")
      SELECT gen_random_uuid(), ${event?.tenantId ?? null}, ${event?.ticketId ?? null}, 'reminder_sent', NULL, ${JSON.stringify(event?.data ?? {})}::jsonb, ${set.firedAt}
      FROM claimed WHERE ${event !== null})
    SELECT count(*)::int AS claimed FROM claimed`
  return rows[0].claimed > 0
}
