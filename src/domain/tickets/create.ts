import type { Priority, Ticket } from '../../generated/prisma/client.ts'
import { inferCategory, normalizeCategory, normalizeUnit } from '../categories.ts'
import { domainError } from '../errors.ts'
import { mentionOf, type Notification } from '../notifications.ts'
import { factsOf } from './facts.ts'
import { loadMember, membersWithRole } from './members.ts'
import { allocateTicketNumber } from './numbering.ts'
import { deadlines } from './reminder-plan.ts'
import { countRepeats } from './repeats.ts'
import { loadRules } from './rules.ts'
import { replanReminders } from './schedule.ts'
import { recordEvent } from './timeline.ts'
import type { Effects, Tx } from './types.ts'

export interface CreateRepairInput {
  tenantId: string
  reporterId: string
  /** The group the request came from; completion is announced there. */
  groupId?: string | null
  unit: string
  description: string
  /** Inferred from the description when absent. */
  category?: string | null
  priority?: Priority
  contactPhone?: string | null
  contactName?: string | null
  /** Absent: immediate. */
  appointmentAt?: Date | null
}

export interface CreateRepairResult extends Effects {
  ticket: Ticket
  /** Repairs of this unit and category within the repeat window, this one included. */
  repeatCount: number
}

export async function createRepair(tx: Tx, now: Date, input: CreateRepairInput): Promise<CreateRepairResult> {
  const { tenantId } = input
  const rules = await loadRules(tx, tenantId)
  const unit = normalizeUnit(input.unit)
  if (!unit) throw domainError('ticket.unit_required')
  const description = input.description.trim()
  if (!description) throw domainError('ticket.description_required')
  const category = input.category == null ? inferCategory(description) : normalizeCategory(input.category)
  if (!category) throw domainError('ticket.invalid_category')
  const appointmentAt = input.appointmentAt ?? null
  if (appointmentAt && appointmentAt < now) throw domainError('ticket.appointment_in_past')
  const priority = input.priority ?? 'normal'

  await loadMember(tx, tenantId, input.reporterId)
  if (input.groupId && !(await tx.chatGroup.findFirst({ where: { id: input.groupId, tenantId } }))) {
    throw domainError('group.not_found')
  }

  const repeat = await countRepeats(tx, { tenantId, unit, category }, rules.policy, now)
  const number = await allocateTicketNumber(tx, tenantId)
  const clocks = deadlines({ priority, appointmentAt }, rules.policy, rules.calendar, now)
  const created = await tx.ticket.create({
    data: {
      tenantId,
      number,
      kind: 'repair',
      priority,
      unit,
      category,
      description,
      contactName: input.contactName?.trim() || null,
      contactPhone: input.contactPhone?.trim() || null,
      reporterId: input.reporterId,
      groupId: input.groupId ?? null,
      appointmentAt,
      respondBy: clocks.respondBy,
      resolveBy: clocks.resolveBy,
      repeatFlag: repeat.flagged,
      createdAt: now,
    },
  })
  // A new ticket has no assignee yet: no need to read it back.
  const ticket = { ...created, assignee: null }
  const event = await recordEvent(tx, ticket, 'created', input.reporterId, now, {
    priority,
    category,
    unit,
    appointmentAt: appointmentAt?.toISOString() ?? null,
    repeatCount: repeat.count,
  })
  const reminders = await replanReminders(tx, ticket, rules, now, now)

  const facts = factsOf(ticket)
  // Immediate work needs a technician now: @ them; scheduled work is just announced.
  const immediate = clocks.respondBy !== null && !clocks.appointmentAt
  const technicians = immediate ? await membersWithRole(tx, tenantId, 'technician') : []
  const notifications: Notification[] = [
    {
      tenantId,
      target: { kind: 'purpose', purpose: 'maintenance' },
      reply: rules.messages.newRepair(facts, technicians.map(mentionOf)),
      key: `event:${event.id}`,
    },
  ]
  if (repeat.flagged) {
    const supervisors = await membersWithRole(tx, tenantId, 'supervisor')
    notifications.push({
      tenantId,
      target: { kind: 'purpose', purpose: 'management' },
      reply: rules.messages.repeatRepair(facts, repeat.count, rules.policy.repeatWindowDays, supervisors.map(mentionOf)),
      key: `event:${event.id}:repeat`,
    })
  }
  return { ticket, repeatCount: repeat.count, reminders, notifications }
}
