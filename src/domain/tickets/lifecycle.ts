import type { FollowUp, Member, Prisma, Ticket, TicketEvent } from '../../generated/prisma/client.ts'
import { normalizeCategory } from '../categories.ts'
import { domainError } from '../errors.ts'
import { mentionOf, type Notification } from '../notifications.ts'
import { factsOf } from './facts.ts'
import { cancelOpenFollowUps, createCompletionFollowUps } from './follow-ups.ts'
import { lockRepair } from './load.ts'
import { isDesk, isStaff, loadMember } from './members.ts'
import { deadlines } from './reminder-plan.ts'
import { loadRules } from './rules.ts'
import { replanReminders } from './schedule.ts'
import { recordEvent } from './timeline.ts'
import { transition } from './transitions.ts'
import type { Effects, TenantRules, TicketRef, TicketWithAssignee, Tx } from './types.ts'

export interface TicketResult extends Effects {
  ticket: Ticket
}

/** Finished work is no longer paused: its clocks are gone, and 查 must not say it waits. */
const endOfPause = { pausedAt: null, pauseReason: null }

const noEffects = (): Effects => ({ reminders: { scheduled: [], cancelled: [] }, notifications: [] })

function requireText(text: string | undefined, code: 'ticket.reason_required' | 'ticket.work_done_required' | 'ticket.note_required'): string {
  const trimmed = text?.trim()
  if (!trimmed) throw domainError(code)
  return trimmed
}

/** Assignee, or someone at the desk (agent, supervisor, admin), may report progress on a ticket. */
function assertHandles(actor: Member, ticket: Ticket): void {
  if (ticket.assigneeId === actor.id || isDesk(actor)) return
  throw domainError('ticket.not_yours', { number: ticket.number })
}

async function begin(tx: Tx, ref: TicketRef) {
  const rules = await loadRules(tx, ref.tenantId)
  const actor = await loadMember(tx, ref.tenantId, ref.actorId)
  const ticket = await lockRepair(tx, ref.tenantId, ref.number)
  return { rules, actor, ticket }
}

async function save(tx: Tx, ticket: Ticket, data: Prisma.TicketUncheckedUpdateInput): Promise<TicketWithAssignee> {
  return tx.ticket.update({ where: { id: ticket.id }, data, include: { assignee: true } })
}

export async function assign(tx: Tx, now: Date, input: TicketRef & { assigneeId: string }): Promise<TicketResult> {
  const { rules, actor, ticket } = await begin(tx, input)
  if (!isStaff(actor)) throw domainError('ticket.customer_cannot_assign')
  transition('assign', ticket)
  const assignee = await loadMember(tx, input.tenantId, input.assigneeId)
  if (!assignee.active || !isStaff(assignee)) throw domainError('member.not_staff', { name: assignee.name })
  // Assigning to the current assignee again changes nothing and must not re-announce.
  if (ticket.status === 'assigned' && ticket.assigneeId === assignee.id) return { ticket, ...noEffects() }

  const updated = await save(tx, ticket, { status: 'assigned', assigneeId: assignee.id, assignedAt: now })
  const event = await recordEvent(tx, ticket, ticket.assigneeId ? 'reassigned' : 'assigned', actor.id, now, {
    assigneeId: assignee.id,
    assigneeName: assignee.name,
    previousAssigneeId: ticket.assigneeId,
  })
  const reminders = await replanReminders(tx, updated, rules, now)
  const notifications: Notification[] = [
    {
      tenantId: ticket.tenantId,
      target: { kind: 'purpose', purpose: 'maintenance' },
      reply: rules.messages.assigned(factsOf(updated), mentionOf(assignee)),
      key: `event:${event.id}`,
    },
  ]
  return { ticket: updated, reminders, notifications }
}

export async function claim(tx: Tx, now: Date, input: TicketRef): Promise<TicketResult> {
  const { rules, actor, ticket } = await begin(tx, input)
  if (!isStaff(actor)) throw domainError('ticket.customer_cannot_assign')
  if (ticket.status === 'assigned' && ticket.assigneeId === actor.id) return { ticket, ...noEffects() }
  if (ticket.status === 'assigned') {
    throw domainError('ticket.already_assigned', { number: ticket.number, assignee: ticket.assignee?.name ?? '' })
  }
  transition('claim', ticket)
  const updated = await save(tx, ticket, { status: 'assigned', assigneeId: actor.id, assignedAt: now })
  await recordEvent(tx, ticket, 'claimed', actor.id, now, { assigneeId: actor.id, assigneeName: actor.name })
  const reminders = await replanReminders(tx, updated, rules, now)
  return { ticket: updated, reminders, notifications: [] }
}

export async function arrive(tx: Tx, now: Date, input: TicketRef): Promise<TicketResult> {
  const { rules, actor, ticket } = await begin(tx, input)
  transition('arrive', ticket)
  assertHandles(actor, ticket)
  const updated = await save(tx, ticket, { status: 'on_site', arrivedAt: now })
  await recordEvent(tx, ticket, 'arrived', actor.id, now, {
    late: ticket.respondBy !== null && now > ticket.respondBy,
  })
  const reminders = await replanReminders(tx, updated, rules, now)
  return { ticket: updated, reminders, notifications: [] }
}

export interface CompleteInput extends TicketRef {
  workDone: string
  feeCents?: number | null
}

export interface CompleteResult extends TicketResult {
  followUps: FollowUp[]
}

export async function complete(tx: Tx, now: Date, input: CompleteInput): Promise<CompleteResult> {
  const workDone = requireText(input.workDone, 'ticket.work_done_required')
  const feeCents = input.feeCents ?? null
  if (feeCents !== null && (!Number.isInteger(feeCents) || feeCents < 0)) throw domainError('ticket.invalid_fee')
  const { rules, actor, ticket } = await begin(tx, input)
  transition('complete', ticket)
  assertHandles(actor, ticket)
  const updated = await save(tx, ticket, { status: 'done', completedAt: now, workDone, feeCents, ...endOfPause })
  const { followUps, reminders: followUpReminders } = await createCompletionFollowUps(tx, updated, rules, now)
  const event = await recordEvent(tx, ticket, 'completed', actor.id, now, {
    workDone,
    feeCents,
    followUpIds: followUps.map((followUp) => followUp.id),
  })
  const clocks = await replanReminders(tx, updated, rules, now)
  const reminders = { scheduled: [...clocks.scheduled, ...followUpReminders.scheduled], cancelled: clocks.cancelled }
  const notifications: Notification[] = ticket.groupId
    ? [
        {
          tenantId: ticket.tenantId,
          target: { kind: 'group', groupId: ticket.groupId },
          reply: rules.messages.completed(factsOf(updated), workDone),
          key: `event:${event.id}`,
        },
      ]
    : []
  return { ticket: updated, followUps, reminders, notifications }
}

export async function cancel(tx: Tx, now: Date, input: TicketRef & { reason: string }): Promise<TicketResult> {
  const reason = requireText(input.reason, 'ticket.reason_required')
  const { rules, actor, ticket } = await begin(tx, input)
  transition('cancel', ticket)
  // Desk staff cancel anything; a technician only their own job; a customer only their own report.
  const allowed = isDesk(actor) || (isStaff(actor) ? ticket.assigneeId === actor.id : ticket.reporterId === actor.id)
  if (!allowed) throw domainError('ticket.not_yours', { number: ticket.number })
  const updated = await save(tx, ticket, { status: 'cancelled', cancelledAt: now, cancelReason: reason, ...endOfPause })
  await recordEvent(tx, ticket, 'cancelled', actor.id, now, { reason })
  const reminders = await replanReminders(tx, updated, rules, now)
  return { ticket: updated, reminders, notifications: [] }
}

/**
 * Starts a new round of work: back to open and unassigned, fresh SLA clocks from now, old
 * follow-ups cancelled (completing again creates new ones). The timeline keeps the old round.
 */
export async function reopenTicket(
  tx: Tx,
  ticket: Ticket,
  rules: TenantRules,
  actorId: string | null,
  now: Date,
  data: { reason: string; source: 'command' | 'followup' },
): Promise<TicketResult & { event: TicketEvent }> {
  transition('reopen', ticket)
  const clocks = deadlines(ticket, rules.policy, rules.calendar, now)
  const updated = await save(tx, ticket, {
    status: 'open',
    assigneeId: null,
    assignedAt: null,
    arrivedAt: null,
    completedAt: null,
    closedAt: null,
    cancelledAt: null,
    cancelReason: null,
    workDone: null,
    feeCents: null,
    respondBy: clocks.respondBy,
    resolveBy: clocks.resolveBy,
  })
  await cancelOpenFollowUps(tx, ticket.id)
  const event = await recordEvent(tx, ticket, 'reopened', actorId, now, { ...data, previousStatus: ticket.status })
  const reminders = await replanReminders(tx, updated, rules, now, now)
  return { ticket: updated, event, reminders, notifications: [] }
}

export async function reopen(tx: Tx, now: Date, input: TicketRef & { reason: string }): Promise<TicketResult> {
  const reason = requireText(input.reason, 'ticket.reason_required')
  const { rules, actor, ticket } = await begin(tx, input)
  transition('reopen', ticket)
  const allowed = isDesk(actor) || ticket.reporterId === actor.id || ticket.assigneeId === actor.id
  if (!allowed) throw domainError('ticket.not_yours', { number: ticket.number })
  const { event: _event, ...result } = await reopenTicket(tx, ticket, rules, actor.id, now, { reason, source: 'command' })
  return result
}

export async function addNote(tx: Tx, now: Date, input: TicketRef & { text: string }): Promise<TicketResult & { event: TicketEvent }> {
  const text = requireText(input.text, 'ticket.note_required')
  const { actor, ticket } = await begin(tx, input)
  if (!isStaff(actor) && ticket.reporterId !== actor.id) throw domainError('ticket.not_yours', { number: ticket.number })
  const event = await recordEvent(tx, ticket, 'note', actor.id, now, { text })
  return { ticket, event, ...noEffects() }
}

/** Corrects the category (inferred ones can be wrong); repeat detection uses it from then on. */
export async function recategorize(tx: Tx, now: Date, input: TicketRef & { category: string }): Promise<TicketResult> {
  const category = normalizeCategory(input.category)
  if (!category) throw domainError('ticket.invalid_category')
  const { actor, ticket } = await begin(tx, input)
  if (!isStaff(actor)) throw domainError('ticket.not_yours', { number: ticket.number })
  if (ticket.category === category) return { ticket, ...noEffects() }
  const updated = await save(tx, ticket, { category })
  await recordEvent(tx, ticket, 'category_changed', actor.id, now, { from: ticket.category, to: category })
  return { ticket: updated, ...noEffects() }
}
