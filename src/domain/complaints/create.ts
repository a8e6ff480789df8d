import type { ComplaintType, Department } from '../../generated/prisma/client.ts'
import { normalizeUnit } from '../categories.ts'
import { domainError } from '../errors.ts'
import { mentionOf, type Notification } from '../notifications.ts'
import { loadMember, membersWithRole } from '../tickets/members.ts'
import { allocateTicketNumber } from '../tickets/numbering.ts'
import { recordEvent } from '../tickets/timeline.ts'
import type { Effects, Tx } from '../tickets/types.ts'
import { replanComplaint } from './clocks.ts'
import { findDepartment, headsOf, requireDepartment } from './departments.ts'
import type { ComplaintRow } from './load.ts'
import { limitHoursFor } from './policy.ts'
import { countRepeatComplaints } from './repeats.ts'
import { complaintFacts, loadComplaintRules } from './rules.ts'
import { inferTopic } from './topics.ts'

export interface CreateComplaintInput {
  tenantId: string
  reporterId: string
  groupId?: string | null
  /** A unit (3-2-501) or a public place (地下车库B2, 1号楼大堂). */
  unit: string
  content: string
  type?: ComplaintType
  major?: boolean
  contactPhone?: string | null
  contactName?: string | null
  /** When the complaint reached the desk; absent: now. */
  receivedAt?: Date | null
  /** The responsible department by name or alias; inferred from the content when absent. */
  department?: string | null
}

export interface CreateComplaintResult extends Effects {
  ticket: ComplaintRow
  /** Recorded later than the policy allows after receipt. */
  late: boolean
  /** Minutes between receipt and recording. */
  recordedAfterMinutes: number
  /** The tenant's recording limit the lateness is measured against. */
  recordWithinMinutes: number
  /** Complaints of this complainant (phone or unit) and topic within the repeat window, this one included. */
  repeatCount: number
}

/** Allow a little clock skew between a typed receipt time and the server. */
const FUTURE_TOLERANCE_MS = 60_000

export async function createComplaint(tx: Tx, now: Date, input: CreateComplaintInput): Promise<CreateComplaintResult> {
  const { tenantId } = input
  const rules = await loadComplaintRules(tx, tenantId)
  const unit = normalizeUnit(input.unit)
  if (!unit) throw domainError('complaint.place_required')
  const content = input.content.trim()
  if (!content) throw domainError('complaint.content_required')
  const receivedAt = input.receivedAt ?? now
  if (receivedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) throw domainError('complaint.received_in_future')
  const type = input.type ?? 'effective'
  const major = input.major ?? false
  const reporter = await loadMember(tx, tenantId, input.reporterId)
  if (input.groupId && !(await tx.chatGroup.findFirst({ where: { id: input.groupId, tenantId } }))) throw domainError('group.not_found')

  const { topic, department: suggested } = inferTopic(content)
  const department: Department | null = input.department
    ? await requireDepartment(tx, tenantId, input.department)
    : suggested
      ? await findDepartment(tx, tenantId, suggested)
      : null
  const contactPhone = input.contactPhone?.trim() || null
  const repeat = await countRepeatComplaints(tx, { tenantId, unit, contactPhone, topic }, rules.policy, now)
  const recordedAfterMinutes = Math.max(0, Math.floor((now.getTime() - receivedAt.getTime()) / 60_000))
  const late = now.getTime() - receivedAt.getTime() > rules.policy.recordWithinMinutes * 60_000
  const limit = limitHoursFor(rules.policy, type, department?.limitHours)
  const number = await allocateTicketNumber(tx, tenantId)
  const ticket = await tx.ticket.create({
    data: {
      tenantId,
      number,
      kind: 'complaint',
      status: department ? 'assigned' : 'open',
      unit,
      category: topic,
      description: content,
      complaintType: type,
      major,
      contactName: input.contactName?.trim() || null,
      contactPhone,
      reporterId: reporter.id,
      departmentId: department?.id ?? null,
      groupId: input.groupId ?? null,
      receivedAt,
      recordedLate: late,
      resolveBy: new Date(receivedAt.getTime() + limit * 3600_000),
      assignedAt: department ? now : null,
      repeatFlag: repeat.flagged,
      createdAt: now,
    },
    include: { department: true, reporter: true },
  })
  const event = await recordEvent(tx, ticket, 'created', reporter.id, now, {
    type,
    major,
    topic,
    unit,
    department: department?.name ?? null,
    receivedAt: receivedAt.toISOString(),
    recordedAfterMinutes,
    late,
    repeatCount: repeat.count,
  })
  const reminders = await replanComplaint(tx, ticket, rules.policy, rules.calendar, now, receivedAt)

  const facts = complaintFacts(ticket)
  const notifications: Notification[] = []
  if (department) notifications.push(await routedNotice(tx, ticket, department, `event:${event.id}:routed`))
  const managers = major || repeat.flagged ? await membersWithRole(tx, tenantId, 'supervisor') : []
  if (major) {
    notifications.push({ tenantId, target: { kind: 'purpose', purpose: 'management' }, reply: rules.messages.major(facts, managers.map(mentionOf)), key: `event:${event.id}:major` })
  }
  if (repeat.flagged) {
    notifications.push({
      tenantId,
      target: { kind: 'purpose', purpose: 'management' },
      reply: rules.messages.repeat(facts, repeat.count, rules.policy.repeatWindowDays, managers.map(mentionOf)),
      key: `event:${event.id}:repeat`,
    })
  }
  return { ticket, late, recordedAfterMinutes, recordWithinMinutes: rules.policy.recordWithinMinutes, repeatCount: repeat.count, reminders, notifications }
}

/** Tells a department, in its own group (management when it has none), that a complaint is theirs, @-mentioning its heads. */
export async function routedNotice(tx: Tx, ticket: ComplaintRow, department: Department, key: string): Promise<Notification> {
  const rules = await loadComplaintRules(tx, ticket.tenantId)
  const heads = await headsOf(tx, department)
  return {
    tenantId: ticket.tenantId,
    target: department.groupId ? { kind: 'group', groupId: department.groupId } : { kind: 'purpose', purpose: 'management' },
    reply: rules.messages.routed(complaintFacts({ ...ticket, department }), heads.map(mentionOf)),
    key,
  }
}
