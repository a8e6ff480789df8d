import type { FollowUp, Ticket } from '../../generated/prisma/client.ts'
import { reopenComplaint } from '../complaints/lifecycle.ts'
import { domainError } from '../errors.ts'
import { mentionOf, type Notification } from '../notifications.ts'
import { nextWorkingDayStart } from '../calendar/index.ts'
import { factsOf } from '../tickets/facts.ts'
import { reopenTicket } from '../tickets/lifecycle.ts'
import { lockTicket } from '../tickets/load.ts'
import { isDesk, isStaff, loadMember, membersWithRole } from '../tickets/members.ts'
import { syncReminders } from '../tickets/reminder-sync.ts'
import { loadRules } from '../tickets/rules.ts'
import { recordEvent } from '../tickets/timeline.ts'
import { canTransition } from '../tickets/transitions.ts'
import type { Effects, TenantRules, TicketRef, TicketWithAssignee, Tx } from '../tickets/types.ts'
import { followUpMessages, type FollowUpFacts } from './messages.ts'
import { followUpSubject, openFollowUpFor } from './plan.ts'
import { followUpReminderPlan } from './reminders.ts'
import { UNREACHABLE_ATTEMPTS } from './windows.ts'

export type FollowUpOutcomeInput = 'satisfied' | 'unsatisfied' | 'unreachable'

export interface RecordFollowUpInput extends TicketRef {
  outcome: FollowUpOutcomeInput
  /** 1–5, optional */
  rating?: number | null
  comment?: string
}

export interface RecordFollowUpResult extends Effects {
  ticket: Ticket
  followUp: FollowUp
  /** The customer was unhappy and the ticket went back into handling. */
  reopened: boolean
  /** Satisfied or finally unreachable: the ticket is closed. */
  closed: boolean
  /** Unreachable but with tries left: when to call again. */
  nextAttemptAt: Date | null
}

const none = (): Effects => ({ reminders: { scheduled: [], cancelled: [] }, notifications: [] })

function checkRating(rating: number | null | undefined): number | null {
  if (rating === undefined || rating === null) return null
  if (!Number.isInteger(rating) || rating < 1 || rating > 5) throw domainError('followup.invalid_rating')
  return rating
}

export function followUpFacts(followUp: FollowUp, ticket: Pick<Ticket, 'number' | 'unit' | 'contactName' | 'contactPhone'> | null): FollowUpFacts {
  return { number: ticket?.number ?? null, kind: followUp.kind, unit: ticket?.unit ?? null, contactName: ticket?.contactName ?? null, contactPhone: ticket?.contactPhone ?? null, dueBy: followUp.dueBy }
}

/** Start of business on the next business day: when an unreachable customer is called again. */
export function nextAttemptTime(rules: TenantRules, at: Date): Date {
  return nextWorkingDayStart(rules.calendar, at)
}

/**
 * Records a call (回访). Satisfied closes the ticket. Unsatisfied sends it back into handling and
 * tells whoever handles it and the supervisors (domain.md). Unreachable counts an attempt and
 * plans the next one for the next business day; after the third the follow-up ends unreachable,
 * the ticket closes and management is told.
 */
export async function recordFollowUp(tx: Tx, now: Date, input: RecordFollowUpInput): Promise<RecordFollowUpResult> {
  const rating = checkRating(input.rating)
  const comment = input.comment?.trim() ?? ''
  const rules = await loadRules(tx, input.tenantId)
  const actor = await loadMember(tx, input.tenantId, input.actorId)
  if (!isStaff(actor)) throw domainError('followup.staff_only')
  const ticket = await lockTicket(tx, input.tenantId, input.number)
  const open = await openFollowUpFor(tx, ticket, now)
  const messages = followUpMessages((await tx.tenant.findUniqueOrThrow({ where: { id: input.tenantId } })).locale, rules.calendar.timeZone)

  if (input.outcome === 'unreachable') {
    const attempts = open.attempts + 1
    const final = attempts >= UNREACHABLE_ATTEMPTS
    const nextAttemptAt = final ? null : nextAttemptTime(rules, now)
    const followUp = await tx.followUp.update({
      where: { id: open.id },
      data: final
        ? { attempts, nextAttemptAt: null, status: 'done', outcome: 'unreachable', comment: comment || null, doneAt: now, doneById: actor.id }
        : { attempts, nextAttemptAt },
    })
    const event = await recordEvent(tx, ticket, 'followup_recorded', actor.id, now, { followUpId: followUp.id, kind: followUp.kind, outcome: 'unreachable', attempts, final, comment })
    const reminders = await syncReminders(tx, followUpSubject(followUp), followUpReminderPlan(followUp), now)
    if (!final) return { ticket, followUp, reopened: false, closed: false, nextAttemptAt, reminders, notifications: [] }
    const closed = await closeIfDone(tx, ticket, now)
    const supervisors = await membersWithRole(tx, input.tenantId, 'supervisor')
    const notifications: Notification[] = [
      { tenantId: input.tenantId, target: { kind: 'purpose', purpose: 'management' }, reply: messages.unreachable(followUpFacts(followUp, ticket), attempts, supervisors.map(mentionOf)), key: `event:${event.id}` },
    ]
    return { ticket: closed ?? ticket, followUp, reopened: false, closed: closed !== null, nextAttemptAt: null, reminders, notifications }
  }

  const followUp = await tx.followUp.update({
    where: { id: open.id },
    data: { status: 'done', outcome: input.outcome, rating, comment: comment || null, doneAt: now, doneById: actor.id, nextAttemptAt: null },
  })
  const recorded = await recordEvent(tx, ticket, 'followup_recorded', actor.id, now, { followUpId: followUp.id, kind: followUp.kind, outcome: input.outcome, rating, comment })
  const followUpReminders = await syncReminders(tx, followUpSubject(followUp), [], now)
  if (input.outcome === 'satisfied') {
    const closed = await closeIfDone(tx, ticket, now)
    return { ticket: closed ?? ticket, followUp, reopened: false, closed: closed !== null, nextAttemptAt: null, reminders: followUpReminders, notifications: [] }
  }
  const back = await sendBack(tx, ticket, rules, actor.id, now, { rating, comment, eventId: recorded.id, messages, followUp })
  if (!back) return { ticket, followUp, reopened: false, closed: false, nextAttemptAt: null, reminders: followUpReminders, notifications: [] }
  const reminders = { scheduled: back.reminders.scheduled, cancelled: [...back.reminders.cancelled, ...followUpReminders.cancelled] }
  return { ticket: back.ticket, followUp, reopened: true, closed: false, nextAttemptAt: null, reminders, notifications: back.notifications }
}

/** Handled work whose follow-up ended is closed; anything else stays as it is. */
async function closeIfDone(tx: Tx, ticket: Ticket, now: Date): Promise<Ticket | null> {
  if (ticket.status !== 'done') return null
  return tx.ticket.update({ where: { id: ticket.id }, data: { status: 'closed', closedAt: now } })
}

/** An unsatisfied customer means the work is not done: back into handling, by kind. */
async function sendBack(
  tx: Tx,
  ticket: TicketWithAssignee,
  rules: TenantRules,
  actorId: string,
  now: Date,
  context: { rating: number | null; comment: string; eventId: string; messages: ReturnType<typeof followUpMessages>; followUp: FollowUp },
): Promise<(Effects & { ticket: Ticket }) | null> {
  if (!canTransition('reopen', ticket.status)) return null
  const reason = context.comment || '回访不满意'
  if (ticket.kind === 'complaint') {
    return reopenComplaint(tx, ticket, actorId, now, { reason, rating: context.rating, eventKey: `event:${context.eventId}`, facts: followUpFacts(context.followUp, ticket) })
  }
  const reopened = await reopenTicket(tx, ticket, rules, actorId, now, { reason, source: 'followup' })
  const supervisors = await membersWithRole(tx, ticket.tenantId, 'supervisor')
  const notification: Notification = {
    tenantId: ticket.tenantId,
    target: { kind: 'purpose', purpose: 'management' },
    reply: rules.messages.followUpUnsatisfied(factsOf(ticket), { rating: context.rating ?? 0, comment: context.comment }, supervisors.map(mentionOf)),
    key: `event:${context.eventId}`,
  }
  return { ticket: reopened.ticket, reminders: reopened.reminders, notifications: [notification] }
}

export interface CorrectFollowUpInput extends TicketRef {
  outcome: 'satisfied' | 'unsatisfied'
  rating?: number | null
  reason: string
}

/**
 * The desk corrects the last recorded follow-up of a ticket (a wrong button, a customer who called
 * back), with a reason kept on the row and in the timeline. The ticket follows the corrected
 * outcome: satisfied closes handled work, unsatisfied sends it back into handling.
 */
export async function correctFollowUp(tx: Tx, now: Date, input: CorrectFollowUpInput): Promise<RecordFollowUpResult> {
  const reason = input.reason.trim()
  if (!reason) throw domainError('ticket.reason_required')
  const rating = checkRating(input.rating)
  const rules = await loadRules(tx, input.tenantId)
  const actor = await loadMember(tx, input.tenantId, input.actorId)
  if (!isDesk(actor)) throw domainError('followup.desk_only')
  const ticket = await lockTicket(tx, input.tenantId, input.number)
  const last = await tx.followUp.findFirst({ where: { ticketId: ticket.id, status: 'done' }, orderBy: [{ doneAt: 'desc' }, { createdAt: 'desc' }] })
  if (!last) throw domainError('followup.none_recorded', { number: ticket.number })
  const followUp = await tx.followUp.update({
    where: { id: last.id },
    data: { outcome: input.outcome, rating: rating ?? last.rating, correctionReason: reason },
  })
  const event = await recordEvent(tx, ticket, 'followup_corrected', actor.id, now, { followUpId: followUp.id, from: last.outcome, to: input.outcome, reason })
  const messages = followUpMessages((await tx.tenant.findUniqueOrThrow({ where: { id: input.tenantId } })).locale, rules.calendar.timeZone)
  if (input.outcome === 'satisfied') {
    const closed = await closeIfDone(tx, ticket, now)
    return { ticket: closed ?? ticket, followUp, reopened: false, closed: closed !== null, nextAttemptAt: null, ...none() }
  }
  const back = await sendBack(tx, ticket, rules, actor.id, now, { rating: followUp.rating, comment: reason, eventId: event.id, messages, followUp })
  if (!back) return { ticket, followUp, reopened: false, closed: false, nextAttemptAt: null, ...none() }
  return { ticket: back.ticket, followUp, reopened: true, closed: false, nextAttemptAt: null, reminders: back.reminders, notifications: back.notifications }
}
