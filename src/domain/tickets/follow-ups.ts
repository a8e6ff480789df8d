import type { FollowUp, Prisma, Ticket } from '../../generated/prisma/client.ts'
import { domainError } from '../errors.ts'
import { endOfBusinessDay } from '../calendar/index.ts'
import { addMonthsInZone } from '../time.ts'
import { membersWithRole } from './members.ts'
import type { TenantRules, Tx } from './types.ts'

/** FollowUp.kind values of repairs. */
export const repairFollowUpKinds = { callback: 'repair_callback', quality: 'repair_quality' } as const

/**
 * The call-backs a completed repair owes (domain.md, "Follow-ups"): the same day — by close of
 * business, or of the next business day when finished after hours — and, for repair works, a
 * quality follow-up between one and two months later. The callback goes to an agent if the
 * tenant has one; otherwise it stays unassigned for whoever picks it up.
 */
export async function createCompletionFollowUps(
  tx: Tx,
  ticket: Pick<Ticket, 'id' | 'tenantId' | 'category'>,
  rules: TenantRules,
  completedAt: Date,
): Promise<FollowUp[]> {
  const [agent] = await membersWithRole(tx, ticket.tenantId, 'agent', 1)
  const base = { tenantId: ticket.tenantId, ticketId: ticket.id, assigneeId: agent?.id ?? null }
  const rows: Prisma.FollowUpCreateManyInput[] = [
    { ...base, kind: repairFollowUpKinds.callback, dueFrom: completedAt, dueBy: endOfBusinessDay(rules.calendar, completedAt) },
  ]
  const { policy, calendar } = rules
  if (ticket.category && policy.qualityFollowUpCategories.includes(ticket.category)) {
    rows.push({
      ...base,
      kind: repairFollowUpKinds.quality,
      dueFrom: addMonthsInZone(completedAt, policy.qualityFollowUpFromMonths, calendar.timeZone),
      dueBy: addMonthsInZone(completedAt, policy.qualityFollowUpToMonths, calendar.timeZone),
    })
  }
  return tx.followUp.createManyAndReturn({ data: rows })
}

/**
 * The follow-up a call-back is recorded against: the earliest-due open one whose window has
 * opened (an overdue one can still be done late).
 */
export async function openFollowUpFor(tx: Tx, ticket: Pick<Ticket, 'id' | 'number'>, now: Date): Promise<FollowUp> {
  const open = await tx.followUp.findMany({
    where: { ticketId: ticket.id, status: { in: ['pending', 'overdue'] } },
    orderBy: [{ dueBy: 'asc' }, { createdAt: 'asc' }],
  })
  if (open.length === 0) throw domainError('followup.none_open', { number: ticket.number })
  const due = open.find((followUp) => followUp.dueFrom <= now)
  if (!due) throw domainError('followup.not_due_yet', { number: ticket.number, dueFrom: open[0].dueFrom.toISOString() })
  return due
}

/** A reopened repair will be completed again and owe fresh follow-ups; the old ones are moot. */
export async function cancelOpenFollowUps(tx: Tx, ticketId: string): Promise<number> {
  const { count } = await tx.followUp.updateMany({
    where: { ticketId, status: { in: ['pending', 'overdue'] } },
    data: { status: 'cancelled' },
  })
  return count
}
