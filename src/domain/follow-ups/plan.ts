import type { FollowUp } from '../../generated/prisma/client.ts'
import { domainError } from '../errors.ts'
import { syncReminders } from '../tickets/reminder-sync.ts'
import { loadRules } from '../tickets/rules.ts'
import type { ReminderChanges, Tx } from '../tickets/types.ts'
import { followUpReminderPlan } from './reminders.ts'
import { followUpWindow, type FollowUpKind } from './windows.ts'

/** What a follow-up is about: a ticket (repair, complaint) or a booking (a service visit). */
export type FollowUpSubject = { ticketId: string } | { bookingId: string }

export interface PlanFollowUpInput {
  tenantId: string
  subject: FollowUpSubject
  kind: FollowUpKind
  /** When the work was completed (handled, for complaints): the window runs from here. */
  completedAt: Date
  /** Who should call; unassigned follow-ups are for any agent. */
  assigneeId?: string | null
}

export interface PlannedFollowUp {
  followUp: FollowUp
  reminders: ReminderChanges
}

export const followUpSubject = (followUp: Pick<FollowUp, 'id' | 'tenantId'>) => ({ tenantId: followUp.tenantId, type: 'followup', id: followUp.id })

/**
 * Creates the follow-up a completed piece of work owes, with its reminder rows (the caller
 * schedules them after commit, like every other domain effect). Call it inside the transaction
 * that completes the work, so the work and the promise to call back commit together.
 */
export async function planFollowUp(tx: Tx, now: Date, input: PlanFollowUpInput): Promise<PlannedFollowUp> {
  const rules = await loadRules(tx, input.tenantId)
  const subject = 'ticketId' in input.subject ? { ticketId: input.subject.ticketId } : { bookingId: input.subject.bookingId }
  const owner = 'ticketId' in subject
    ? await tx.ticket.findFirst({ where: { id: subject.ticketId, tenantId: input.tenantId }, select: { id: true } })
    : await tx.booking.findFirst({ where: { id: subject.bookingId, tenantId: input.tenantId }, select: { id: true } })
  if (!owner) throw domainError('followup.subject_not_found')
  const window = followUpWindow(input.kind, input.completedAt, rules.calendar, rules.policy)
  const followUp = await tx.followUp.create({
    data: { tenantId: input.tenantId, ...subject, kind: input.kind, dueFrom: window.dueFrom, dueBy: window.dueBy, assigneeId: input.assigneeId ?? null, createdAt: now },
  })
  const reminders = await syncReminders(tx, followUpSubject(followUp), followUpReminderPlan(followUp), now)
  return { followUp, reminders }
}

/**
 * The follow-up a call is recorded against: the earliest-due open one whose window has opened
 * (an overdue one can still be done late).
 */
export async function openFollowUpFor(tx: Tx, ticket: { id: string; number: number }, now: Date): Promise<FollowUp> {
  const open = await tx.followUp.findMany({
    where: { ticketId: ticket.id, status: { in: ['pending', 'overdue'] } },
    orderBy: [{ dueBy: 'asc' }, { createdAt: 'asc' }],
  })
  if (open.length === 0) throw domainError('followup.none_open', { number: ticket.number })
  const due = open.find((followUp) => followUp.dueFrom <= now)
  if (!due) throw domainError('followup.not_due_yet', { number: ticket.number, dueFrom: open[0].dueFrom.toISOString() })
  return due
}

/** Reopened work will be completed again and owe fresh follow-ups; the open ones are moot (their reminders skip). */
export async function cancelOpenFollowUps(tx: Tx, ticketId: string): Promise<number> {
  const { count } = await tx.followUp.updateMany({ where: { ticketId, status: { in: ['pending', 'overdue'] } }, data: { status: 'cancelled' } })
  return count
}
