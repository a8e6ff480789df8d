import { Prisma, type Ticket } from '../../generated/prisma/client.ts'
import { domainError } from '../errors.ts'
import { loadMember, isStaff } from '../tickets/members.ts'
import { loadRules } from '../tickets/rules.ts'
import { recordEvent } from '../tickets/timeline.ts'
import { lockTicket } from '../tickets/load.ts'
import type { ReminderChanges, TicketRef, Tx } from '../tickets/types.ts'
import { asPaused, deadlinesAfterResume, remainingAt } from './pause-state.ts'
import { clockPlannerFor, type ClockPlanner } from './planners.ts'

export interface ClockResult {
  ticket: Ticket
  reminders: ReminderChanges
  notifications: []
}

/** Staff pause: agents, supervisors, admins any ticket; a technician only the one assigned to them. */
async function begin(tx: Tx, ref: TicketRef) {
  const rules = await loadRules(tx, ref.tenantId)
  const actor = await loadMember(tx, ref.tenantId, ref.actorId)
  if (!isStaff(actor)) throw domainError('clock.staff_only')
  const ticket = await lockTicket(tx, ref.tenantId, ref.number)
  const isTechnicianOnly = actor.roles.every((role) => role === 'technician')
  if (isTechnicianOnly && ticket.assigneeId !== actor.id) throw domainError('ticket.not_yours', { number: ticket.number })
  const planner = clockPlannerFor(ticket.kind)
  if (!planner) throw domainError('clock.not_running', { number: ticket.number, status: ticket.status })
  return { rules, actor, ticket, planner }
}

function deadlineColumns(planner: ClockPlanner, due: Record<string, string>) {
  const columns: { respondBy?: Date; resolveBy?: Date } = {}
  for (const [column, kinds] of Object.entries(planner.deadlineColumns) as ['respondBy' | 'resolveBy', string[]][]) {
    const kind = kinds.find((candidate) => due[candidate])
    if (kind) columns[column] = new Date(due[kind])
  }
  return columns
}

/**
 * 挂起 #N <reason>: freezes the ticket's clocks. Each keeps what it had left (working time for
 * business clocks); the pending reminders are cancelled so none fires while paused.
 */
export async function pauseTicket(tx: Tx, now: Date, input: TicketRef & { reason: string }): Promise<ClockResult> {
  const reason = input.reason.trim()
  if (!reason) throw domainError('ticket.reason_required')
  const { rules, actor, ticket, planner } = await begin(tx, input)
  if (ticket.pausedAt) throw domainError('clock.already_paused', { number: ticket.number, reason: ticket.pauseReason ?? '' })
  if (!planner.runningStatuses.includes(ticket.status)) throw domainError('clock.not_running', { number: ticket.number, status: ticket.status })

  const { round, clocks } = await planner.clocks(tx, ticket, rules)
  const pending = await tx.reminder.findMany({ where: { tenantId: ticket.tenantId, subjectId: ticket.id, status: 'pending' }, select: { kind: true } })
  const pendingKinds = new Set(pending.map((row) => row.kind))
  const remaining = remainingAt(clocks, now, rules.calendar, round, (kind) => pendingKinds.has(kind))
  const updated = await tx.ticket.update({
    where: { id: ticket.id },
    data: { pausedAt: now, pauseReason: reason, pausedRemaining: { ...remaining } },
  })
  await recordEvent(tx, ticket, 'paused', actor.id, now, { reason })
  const reminders = await planner.replan(tx, updated, rules, now)
  return { ticket: updated, reminders, notifications: [] }
}

/** 恢复 #N: the clocks run again from now with the time they had left. */
export async function resumeTicket(tx: Tx, now: Date, input: TicketRef): Promise<ClockResult> {
  const { rules, actor, ticket, planner } = await begin(tx, input)
  const paused = ticket.pausedAt ? asPaused(ticket.pausedRemaining) : null
  if (!ticket.pausedAt || !paused) throw domainError('clock.not_paused', { number: ticket.number })
  const resumed = deadlinesAfterResume(paused, now, rules.calendar)
  const pausedMs = now.getTime() - ticket.pausedAt.getTime()
  const updated = await tx.ticket.update({
    where: { id: ticket.id },
    data: { pausedAt: null, pauseReason: null, pausedRemaining: Prisma.DbNull, resumedDeadlines: { ...resumed }, ...deadlineColumns(planner, resumed.due) },
  })
  await recordEvent(tx, ticket, 'resumed', actor.id, now, { reason: ticket.pauseReason ?? '', pausedMinutes: Math.round(pausedMs / 60_000) })
  const reminders = await planner.replan(tx, updated, rules, now)
  return { ticket: updated, reminders, notifications: [] }
}
