import type { FollowUp } from '../../generated/prisma/client.ts'
import { domainError } from '../errors.ts'
import { mentionOf, type Notification } from '../notifications.ts'
import { factsOf } from './facts.ts'
import { openFollowUpFor, repairFollowUpKinds } from './follow-ups.ts'
import { reopenTicket, type TicketResult } from './lifecycle.ts'
import { lockRepair } from './load.ts'
import { isStaff, loadMember, membersWithRole } from './members.ts'
import { loadRules } from './rules.ts'
import { recordEvent } from './timeline.ts'
import { canTransition } from './transitions.ts'
import type { Effects, TenantRules, TicketRef, Tx } from './types.ts'

export interface RecordFollowUpInput extends TicketRef {
  outcome: 'satisfied' | 'unsatisfied'
  /** 1–5 */
  rating: number
  comment?: string
}

export interface RecordFollowUpResult extends TicketResult {
  followUp: FollowUp
  reopened: boolean
}

/**
 * Records a call-back (回访). An unsatisfied customer means the work is not done: the ticket
 * reopens and the supervisors hear of it (domain.md: an unsatisfied follow-up goes back into
 * handling).
 */
export async function recordFollowUp(tx: Tx, now: Date, input: RecordFollowUpInput): Promise<RecordFollowUpResult> {
  if (!Number.isInteger(input.rating) || input.rating < 1 || input.rating > 5) throw domainError('followup.invalid_rating')
  const comment = input.comment?.trim() ?? ''
  const rules = await loadRules(tx, input.tenantId)
  const actor = await loadMember(tx, input.tenantId, input.actorId)
  if (!isStaff(actor)) throw domainError('followup.staff_only')
  const ticket = await lockRepair(tx, input.tenantId, input.number)
  const open = await openFollowUpFor(tx, ticket, now)
  const followUp = await tx.followUp.update({
    where: { id: open.id },
    data: { status: 'done', outcome: input.outcome, rating: input.rating, comment: comment || null, doneAt: now, doneById: actor.id },
  })
  const recorded = await recordEvent(tx, ticket, 'followup_recorded', actor.id, now, {
    followUpId: followUp.id,
    kind: followUp.kind,
    outcome: input.outcome,
    rating: input.rating,
    comment,
  })
  if (input.outcome === 'satisfied' || !canTransition('reopen', ticket.status)) {
    return { ticket, followUp, reopened: false, reminders: { scheduled: [], cancelled: [] }, notifications: [] }
  }
  const reopened = await reopenTicket(tx, ticket, rules, actor.id, now, { reason: comment || '回访不满意', source: 'followup' })
  const supervisors = await membersWithRole(tx, input.tenantId, 'supervisor')
  const notification: Notification = {
    tenantId: input.tenantId,
    target: { kind: 'purpose', purpose: 'management' },
    reply: rules.messages.followUpUnsatisfied(factsOf(ticket), { rating: input.rating, comment }, supervisors.map(mentionOf)),
    key: `event:${recorded.id}`,
  }
  return { ticket: reopened.ticket, followUp, reopened: true, reminders: reopened.reminders, notifications: [notification] }
}

export interface OverdueResult extends Effects {
  flagged: FollowUp[]
}

/**
 * Marks repair follow-ups whose window closed as overdue, across tenants (a periodic sweep).
 * The conditional UPDATE makes two overlapping sweeps flag and announce each one once.
 */
export async function flagOverdueFollowUps(tx: Tx, now: Date): Promise<OverdueResult> {
  const kinds = Object.values(repairFollowUpKinds)
  const rows = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "FollowUp" SET "status" = 'overdue'
    WHERE "status" = 'pending' AND "dueBy" < ${now} AND "ticketId" IS NOT NULL AND "kind" = ANY(${kinds})
    RETURNING "id"`
  if (rows.length === 0) return { flagged: [], reminders: { scheduled: [], cancelled: [] }, notifications: [] }

  const flagged = await tx.followUp.findMany({
    where: { id: { in: rows.map((row) => row.id) } },
    include: { ticket: { include: { assignee: true } }, assignee: true },
    orderBy: { dueBy: 'asc' },
  })
  const rulesByTenant = new Map<string, TenantRules>()
  const notifications: Notification[] = []
  for (const followUp of flagged) {
    const { ticket } = followUp
    if (!ticket) continue
    let rules = rulesByTenant.get(followUp.tenantId)
    if (!rules) rulesByTenant.set(followUp.tenantId, (rules = await loadRules(tx, followUp.tenantId)))
    await recordEvent(tx, ticket, 'followup_overdue', null, now, { followUpId: followUp.id, kind: followUp.kind, dueBy: followUp.dueBy.toISOString() })
    const mentions = followUp.assignee ? [followUp.assignee] : await membersWithRole(tx, followUp.tenantId, 'agent')
    notifications.push({
      tenantId: followUp.tenantId,
      target: { kind: 'purpose', purpose: 'front_desk' },
      reply: rules.messages.followUpOverdue(factsOf(ticket), followUp.kind, followUp.dueBy, mentions.map(mentionOf)),
      key: `followup:${followUp.id}:overdue`,
    })
  }
  const plain = flagged.map(({ ticket: _ticket, assignee: _assignee, ...row }): FollowUp => row)
  return { flagged: plain, reminders: { scheduled: [], cancelled: [] }, notifications }
}
