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

/** Whom one firing wants to hear of: the audience's role, and with `unlessAssigned` only while the ticket has no assignee. */
export interface SubjectWanted {
  tenantId: string
  ticketId: string
  role: Role
  unlessAssigned: boolean
}

/**
 * Locks the tickets (the lock their commands take, so a firing waits for a command and sees its
 * outcome) and reads each with its assignee, its tenant and the members to tell, in one statement
 * for a whole batch of firings: thousands falling due together is the hot path. The tickets are
 * locked in id order, so two batches sharing a ticket queue instead of deadlocking. One entry per
 * wanted, in order; null where the ticket is gone.
 */
export async function lockReminderSubjects(tx: Tx, wanted: SubjectWanted[]): Promise<(ReminderSubject | null)[]> {
  if (!wanted.length) return []
  const rows = await tx.$queryRaw<{ ord: number; ticket: Record<string, unknown>; assignee: Record<string, unknown> | null; tenant: Record<string, unknown>; members: Record<string, unknown>[] }[]>`
    SELECT w.ord, to_jsonb(t) AS ticket, to_jsonb(a) AS assignee, to_jsonb(tn) AS tenant,
      CASE WHEN w."unlessAssigned" AND t."assigneeId" IS NOT NULL THEN '[]'::jsonb ELSE (
        SELECT coalesce(jsonb_agg(to_jsonb(m) ORDER BY m."name", m."id"), '[]'::jsonb)
        FROM (SELECT * FROM "Member" WHERE "tenantId" = t."tenantId" AND "active" AND w.role = ANY("roles")
              ORDER BY "name", "id" LIMIT 20) m) END AS members
    FROM jsonb_to_recordset(${JSON.stringify(wanted.map((w, ord) => ({ ...w, ord })))}::jsonb)
      AS w(ord int, "tenantId" text, "ticketId" text, role "Role", "unlessAssigned" boolean)
    JOIN "Ticket" t ON t."id" = w."ticketId" AND t."tenantId" = w."tenantId"
    JOIN "Tenant" tn ON tn."id" = t."tenantId"
    LEFT JOIN "Member" a ON a."id" = t."assigneeId"
    ORDER BY t."id", w.ord
    FOR UPDATE OF t`
  const subjects: (ReminderSubject | null)[] = wanted.map(() => null)
  for (const row of rows) {
    const assignee = row.assignee ? fromJsonRow<Member>(row.assignee, memberDates) : null
    subjects[row.ord] = {
      ticket: { ...fromJsonRow<Ticket>(row.ticket, ticketDates), assignee },
      tenant: tenantOf(row.tenant),
      members: row.members.map((member) => fromJsonRow<Member>(member, memberDates)),
    }
  }
  return subjects
}

/** One firing's outcome to record: the reminder's new state and, when it was sent, its timeline event. */
export interface ReminderClaim {
  reminderId: string
  status: 'sent' | 'skipped'
  firedAt: Date
  recipients: string[]
  event: { tenantId: string; ticketId: string; data: Prisma.InputJsonObject } | null
}

/**
 * Moves still-pending reminders to their outcomes and records each one sent on its ticket's
 * timeline, in one statement for the whole batch. Returns the ids it claimed: one missing was
 * claimed by another worker first (its event is written only with the claim).
 */
export async function claimWithEvents(tx: Tx, claims: ReminderClaim[]): Promise<Set<string>> {
  if (!claims.length) return new Set()
  const rows = await tx.$queryRaw<{ id: string }[]>`
    WITH wanted AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(claims)}::jsonb)
        AS c("reminderId" text, status "ReminderStatus", "firedAt" timestamptz, recipients text[], event jsonb)),
    claimed AS (
      UPDATE "Reminder" r SET "status" = c.status, "firedAt" = c."firedAt", "recipients" = c.recipients, "attempts" = r."attempts" + 1
      FROM wanted c
      WHERE r."id" = c."reminderId" AND r."status" = 'pending'
      RETURNING r."id"),
    recorded AS (
      INSERT INTO "TicketEvent" ("id", "tenantId", "ticketId", "type", "actorId", "data", "at")
      SELECT gen_random_uuid(), c.event->>'tenantId', c.event->>'ticketId', 'reminder_sent', NULL, c.event->'data', c."firedAt"
      FROM wanted c JOIN claimed ON claimed."id" = c."reminderId"
      WHERE jsonb_typeof(c.event) = 'object')
    SELECT "id" FROM claimed`
  return new Set(rows.map((row) => row.id))
}
