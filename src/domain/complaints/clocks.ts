import type { Ticket, TicketStatus } from '../../generated/prisma/client.ts'
import { syncReminders } from '../tickets/reminder-sync.ts'
import { ticketSubject } from '../tickets/schedule.ts'
import type { ReminderChanges, Tx } from '../tickets/types.ts'
import { endOfBusinessDay, type BusinessCalendar } from '../calendar/index.ts'
import { addMinutes } from '../time.ts'
import { withPauseState } from '../clocks/pause-state.ts'
import type { ComplaintPolicy } from './policy.ts'

/** Reminder kinds of complaints (subjectType 'ticket'). */
export const complaintReminderKinds = ['complaint.resolve_warning', 'complaint.resolve_breach', 'complaint.answer_reminder', 'complaint.answer_escalation'] as const
export type ComplaintReminderKind = (typeof complaintReminderKinds)[number]

export function isComplaintReminderKind(kind: string): kind is ComplaintReminderKind {
  return (complaintReminderKinds as readonly string[]).includes(kind)
}

const unhandled: TicketStatus[] = ['open', 'assigned']

/** Whether a reminder still matters for the complaint as it is now. */
export function isRelevant(kind: ComplaintReminderKind, ticket: Pick<Ticket, 'status' | 'answeredAt' | 'completedAt'>): boolean {
  if (kind === 'complaint.resolve_warning' || kind === 'complaint.resolve_breach') return unhandled.includes(ticket.status)
  return ticket.completedAt !== null && ticket.answeredAt === null && (ticket.status === 'done' || ticket.status === 'closed')
}

/**
 * Every reminder a complaint should have: while unhandled, a warning to the department head and
 * a breach escalation at its limit (running from `handlingFrom`: receipt, or the reopening);
 * once handled without an answer to the complainant, a reminder at close of business that day and
 * an escalation after it. Deterministic, so re-planning after any change is safe.
 */
export function planComplaintReminders(
  ticket: Pick<Ticket, 'status' | 'resolveBy' | 'completedAt' | 'answeredAt'>,
  handlingFrom: Date,
  policy: ComplaintPolicy,
  calendar: BusinessCalendar,
): { kind: ComplaintReminderKind; dueAt: Date }[] {
  const plan: { kind: ComplaintReminderKind; dueAt: Date }[] = []
  if (ticket.resolveBy) {
    const window = ticket.resolveBy.getTime() - handlingFrom.getTime()
    plan.push({ kind: 'complaint.resolve_warning', dueAt: new Date(handlingFrom.getTime() + Math.round(window * policy.warningRatio)) })
    plan.push({ kind: 'complaint.resolve_breach', dueAt: ticket.resolveBy })
  }
  if (ticket.completedAt) {
    const closing = endOfBusinessDay(calendar, ticket.completedAt)
    plan.push({ kind: 'complaint.answer_reminder', dueAt: closing })
    plan.push({ kind: 'complaint.answer_escalation', dueAt: addMinutes(closing, policy.answerEscalationMinutes) })
  }
  return plan.filter((reminder) => isRelevant(reminder.kind, ticket))
}

/** When the current round of handling began: receipt, or the latest reopening. */
export async function handlingFrom(tx: Tx, ticket: Pick<Ticket, 'id' | 'receivedAt' | 'createdAt'>): Promise<Date> {
  const reopened = await tx.ticketEvent.findFirst({ where: { ticketId: ticket.id, type: 'reopened' }, orderBy: { at: 'desc' } })
  return reopened?.at ?? ticket.receivedAt ?? ticket.createdAt
}

const oncePerRound: ComplaintReminderKind[] = ['complaint.resolve_warning', 'complaint.resolve_breach']

/**
 * The handling warning and breach kinds already sent in the round that began at `round`. A new
 * limit (定性, 转交) moves their due times, and a row at the new time is a different reminder, so
 * without this a head who was already warned would be warned again.
 */
async function sentThisRound(tx: Tx, ticket: Pick<Ticket, 'id' | 'tenantId'>, round: Date): Promise<Set<string>> {
  const rows = await tx.reminder.findMany({
    where: { tenantId: ticket.tenantId, subjectId: ticket.id, status: 'sent', kind: { in: oncePerRound }, firedAt: { gte: round } },
    select: { kind: true },
  })
  return new Set(rows.map((row) => row.kind))
}

/** A paused complaint plans nothing; a resumed one keeps the deadlines its resume moved; what this round already sent is not planned again. */
export async function replanComplaint(tx: Tx, ticket: Ticket, policy: ComplaintPolicy, calendar: BusinessCalendar, now: Date, from?: Date): Promise<ReminderChanges> {
  const start = from ?? (await handlingFrom(tx, ticket))
  const sent = await sentThisRound(tx, ticket, start)
  const plan = withPauseState(planComplaintReminders(ticket, start, policy, calendar), ticket, start).filter((item) => !sent.has(item.kind))
  return syncReminders(tx, ticketSubject(ticket), plan, now)
}
