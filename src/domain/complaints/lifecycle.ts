import type { ComplaintType, FollowUp, Member, Prisma, Ticket } from '../../generated/prisma/client.ts'
import { domainError } from '../errors.ts'
import type { FollowUpFacts } from '../follow-ups/messages.ts'
import { cancelOpenFollowUps, planFollowUp } from '../follow-ups/plan.ts'
import { followUpKinds } from '../follow-ups/windows.ts'
import { mentionOf, type Notification } from '../notifications.ts'
import { isDesk, isStaff, loadMember, membersWithRole } from '../tickets/members.ts'
import { recordEvent } from '../tickets/timeline.ts'
import { endOfBusinessDay } from '../calendar/index.ts'
import type { Effects, ReminderChanges, TicketRef, Tx } from '../tickets/types.ts'
import { replanComplaint } from './clocks.ts'
import { routedNotice } from './create.ts'
import { headsOf, requireDepartment } from './departments.ts'
import { handlingWindow } from './handling-window.ts'
import { lockComplaint, type ComplaintRow } from './load.ts'
import { limitHoursFor } from './policy.ts'
import { complaintFacts, loadComplaintRules, type ComplaintRules } from './rules.ts'

export interface ComplaintResult extends Effects {
  ticket: ComplaintRow
}

const noEffects = (): Effects => ({ reminders: { scheduled: [], cancelled: [] }, notifications: [] })
const unhandled = ['open', 'assigned'] as const

async function begin(tx: Tx, ref: TicketRef, allowed: (actor: Member) => boolean = isDesk) {
  const rules = await loadComplaintRules(tx, ref.tenantId)
  const actor = await loadMember(tx, ref.tenantId, ref.actorId)
  const ticket = await lockComplaint(tx, ref.tenantId, ref.number)
  if (!allowed(actor)) throw domainError('complaint.desk_only', { number: ticket.number })
  return { rules, actor, ticket }
}

async function save(tx: Tx, ticket: Ticket, data: Prisma.TicketUncheckedUpdateInput): Promise<ComplaintRow> {
  return tx.ticket.update({ where: { id: ticket.id }, data, include: { department: true, reporter: true } })
}

function requireText(text: string | undefined, code: 'complaint.handling_required' | 'complaint.answer_required'): string {
  const trimmed = text?.trim()
  if (!trimmed) throw domainError(code)
  return trimmed
}

/** The handling limit of a kind in a department (or the tenant's), in milliseconds. */
function limitMsFor(rules: ComplaintRules, type: ComplaintType, department: { limitHours: unknown } | null): number {
  return limitHoursFor(rules.policy, type, department?.limitHours) * 3600_000
}

/** 定性: effective or communication. The limit follows the new kind while it is unhandled, paused time left out. */
export async function classify(tx: Tx, now: Date, input: TicketRef & { type: ComplaintType }): Promise<ComplaintResult> {
  const { rules, actor, ticket } = await begin(tx, input)
  if (ticket.complaintType === input.type) return { ticket, ...noEffects() }
  const window = (unhandled as readonly string[]).includes(ticket.status)
    ? await handlingWindow(tx, ticket, limitMsFor(rules, input.type, ticket.department), rules.policy, now)
    : {}
  const updated = await save(tx, ticket, { complaintType: input.type, ...window })
  await recordEvent(tx, ticket, 'type_changed', actor.id, now, { from: ticket.complaintType, to: input.type })
  const reminders = await replanComplaint(tx, updated, rules.policy, rules.calendar, now)
  return { ticket: updated, reminders, notifications: [] }
}

/** 转交: the department answers for it; its heads hear of it in its group, with the deadline. */
export async function route(tx: Tx, now: Date, input: TicketRef & { department: string }): Promise<ComplaintResult> {
  const { rules, actor, ticket } = await begin(tx, input)
  if (!(unhandled as readonly string[]).includes(ticket.status)) {
    throw domainError('complaint.already_handled', { number: ticket.number })
  }
  const department = await requireDepartment(tx, input.tenantId, input.department)
  if (ticket.departmentId === department.id) return { ticket, ...noEffects() }
  const updated = await save(tx, ticket, {
    departmentId: department.id,
    status: 'assigned',
    assignedAt: now,
    ...(await handlingWindow(tx, ticket, limitMsFor(rules, ticket.complaintType ?? 'effective', department), rules.policy, now)),
  })
  const event = await recordEvent(tx, ticket, 'routed', actor.id, now, { department: department.name, previous: ticket.department?.name ?? null })
  const reminders = await replanComplaint(tx, updated, rules.policy, rules.calendar, now)
  return { ticket: updated, reminders, notifications: [await routedNotice(tx, updated, department, `event:${event.id}`)] }
}

export interface HandleResult extends ComplaintResult {
  followUp: FollowUp
}

/**
 * 处理: how it was handled. Opens the follow-up (within 3 days; a manager's for a major
 * complaint, otherwise the department head's) and the same-day answer clock.
 */
export async function handle(tx: Tx, now: Date, input: TicketRef & { handling: string }): Promise<HandleResult> {
  const handling = requireText(input.handling, 'complaint.handling_required')
  const { rules, actor, ticket } = await begin(tx, input, isStaff)
  if (!(unhandled as readonly string[]).includes(ticket.status)) throw domainError('complaint.already_handled', { number: ticket.number })
  const updated = await save(tx, ticket, { status: 'done', completedAt: now, workDone: handling })
  await recordEvent(tx, ticket, 'handled', actor.id, now, { workDone: handling, late: ticket.resolveBy !== null && now > ticket.resolveBy })
  const clocks = await replanComplaint(tx, updated, rules.policy, rules.calendar, now)
  const assignee = await followUpOwner(tx, updated)
  const planned = await planFollowUp(tx, now, { tenantId: ticket.tenantId, subject: { ticketId: ticket.id }, kind: followUpKinds.complaint, completedAt: now, assigneeId: assignee?.id ?? null })
  const reminders: ReminderChanges = { scheduled: [...clocks.scheduled, ...planned.reminders.scheduled], cancelled: clocks.cancelled }
  return { ticket: updated, followUp: planned.followUp, reminders, notifications: [] }
}

/** Major complaints are followed up by a manager; general ones by the department head (with the agent). */
async function followUpOwner(tx: Tx, ticket: ComplaintRow): Promise<Member | null> {
  if (ticket.major) return (await membersWithRole(tx, ticket.tenantId, 'supervisor', 1))[0] ?? null
  const [head] = await headsOf(tx, ticket.department)
  if (head) return head
  return ticket.reporter && isStaff(ticket.reporter) ? ticket.reporter : ((await membersWithRole(tx, ticket.tenantId, 'agent', 1))[0] ?? null)
}

/** 答复: what the complainant was told; due the day it is handled. */
export async function answer(tx: Tx, now: Date, input: TicketRef & { answer: string }): Promise<ComplaintResult & { sameDay: boolean }> {
  const text = requireText(input.answer, 'complaint.answer_required')
  const { rules, actor, ticket } = await begin(tx, input, isStaff)
  if (!ticket.completedAt) throw domainError('complaint.not_handled', { number: ticket.number })
  const updated = await save(tx, ticket, { answer: text, answeredAt: now })
  const sameDay = now.getTime() <= endOfBusinessDay(rules.calendar, ticket.completedAt).getTime()
  await recordEvent(tx, ticket, 'answered', actor.id, now, { text, sameDay })
  const reminders = await replanComplaint(tx, updated, rules.policy, rules.calendar, now)
  return { ticket: updated, sameDay, reminders, notifications: [] }
}

/**
 * An unsatisfied follow-up sends the complaint back into handling (domain.md): the department
 * holds it again with a fresh limit from now, and the department and the supervisors are told.
 */
export async function reopenComplaint(
  tx: Tx,
  ticket: Ticket,
  actorId: string | null,
  now: Date,
  context: { reason: string; rating: number | null; eventKey: string; facts?: FollowUpFacts },
): Promise<ComplaintResult> {
  const rules = await loadComplaintRules(tx, ticket.tenantId)
  const current = await tx.ticket.findUniqueOrThrow({ where: { id: ticket.id }, include: { department: true, reporter: true } })
  const updated = await save(tx, current, {
    status: current.departmentId ? 'assigned' : 'open',
    completedAt: null,
    closedAt: null,
    workDone: null,
    answer: null,
    answeredAt: null,
    resolveBy: new Date(now.getTime() + limitMsFor(rules, current.complaintType ?? 'effective', current.department)),
  })
  await cancelOpenFollowUps(tx, ticket.id)
  await recordEvent(tx, ticket, 'reopened', actorId, now, { reason: context.reason, source: 'followup', previousStatus: current.status })
  const reminders = await replanComplaint(tx, updated, rules.policy, rules.calendar, now, now)
  const facts = complaintFacts(updated)
  const supervisors = await membersWithRole(tx, ticket.tenantId, 'supervisor')
  const outcome = { rating: context.rating, comment: context.reason }
  const notifications: Notification[] = [
    { tenantId: ticket.tenantId, target: { kind: 'purpose', purpose: 'management' }, reply: rules.messages.unsatisfied(facts, outcome, supervisors.map(mentionOf)), key: `${context.eventKey}:management` },
  ]
  if (updated.department?.groupId) {
    const heads = await headsOf(tx, updated.department)
    notifications.push({ tenantId: ticket.tenantId, target: { kind: 'group', groupId: updated.department.groupId }, reply: rules.messages.unsatisfied(facts, outcome, heads.map(mentionOf)), key: `${context.eventKey}:department` })
  }
  return { ticket: updated, reminders, notifications }
}
