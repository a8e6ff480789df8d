import { randomUUID } from 'node:crypto'
import type { Priority, Reminder, Ticket, TicketEvent } from '../../generated/prisma/client.ts'
import { inferCategory, normalizeCategory, normalizeUnit } from '../categories.ts'
import { domainError } from '../errors.ts'
import type { Notification } from '../notifications.ts'
import { factsOf } from './facts.ts'
import { deadlines } from './reminder-plan.ts'
import { loadRules } from './rules.ts'
import { plannedReminders, ticketSubject } from './schedule.ts'
import { storeNewRepair } from './store-repair.ts'
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

  const clocks = deadlines({ priority, appointmentAt }, rules.policy, rules.calendar, now)
  // None of this needs the number, so it is worked out before the number's lock is taken:
  // storeNewRepair takes it and sets the number.
  const unnumbered = newTicket({
    id: randomUUID(),
    tenantId,
    number: 0,
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
    createdAt: now,
  })
  const event: TicketEvent = {
    id: randomUUID(),
    tenantId,
    ticketId: unnumbered.id,
    type: 'created',
    actorId: input.reporterId,
    data: { priority, category, unit, appointmentAt: appointmentAt?.toISOString() ?? null },
    at: now,
  }
  // A new ticket has no reminder rows yet: each planned one still ahead is inserted.
  const scheduled = plannedReminders(unnumbered, rules, now)
    .filter((planned) => planned.dueAt > now)
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
    .map((planned): Reminder => newReminder(unnumbered, planned.kind, planned.dueAt, now))
  // Immediate work needs a technician now: @ them; scheduled work is just announced.
  const immediate = clocks.respondBy !== null && !clocks.appointmentAt
  const stored = await storeNewRepair(tx, { ticket: unnumbered, event, reminders: scheduled, mention: immediate ? 'technician' : null }, rules.policy)
  // A new ticket has no assignee yet: no need to read it back.
  const ticket = { ...stored.ticket, assignee: null }

  const facts = factsOf(ticket)
  const notifications: Notification[] = [
    {
      tenantId,
      target: { kind: 'purpose', purpose: 'maintenance' },
      reply: rules.messages.newRepair(facts, stored.mentioned),
      key: `event:${event.id}`,
    },
  ]
  if (ticket.repeatFlag) {
    notifications.push({
      tenantId,
      target: { kind: 'purpose', purpose: 'management' },
      reply: rules.messages.repeatRepair(facts, stored.repeatCount, rules.policy.repeatWindowDays, stored.supervisors),
      key: `event:${event.id}:repeat`,
    })
  }
  return { ticket, repeatCount: stored.repeatCount, reminders: { scheduled, cancelled: [] }, notifications }
}

type NewTicketFields = Pick<Ticket, 'id' | 'tenantId' | 'number' | 'priority' | 'unit' | 'category' | 'description' | 'contactName' | 'contactPhone' | 'reporterId' | 'groupId' | 'appointmentAt' | 'respondBy' | 'resolveBy' | 'createdAt'>

/** Every column of a new repair's row, as the database would default them (the compiler refuses a missing one). */
function newTicket(fields: NewTicketFields): Ticket {
  return {
    ...fields,
    kind: 'repair',
    status: 'open',
    complaintType: null,
    major: false,
    assigneeId: null,
    departmentId: null,
    assignedAt: null,
    arrivedAt: null,
    completedAt: null,
    closedAt: null,
    cancelledAt: null,
    cancelReason: null,
    workDone: null,
    feeCents: null,
    repeatFlag: false,
    receivedAt: null,
    recordedLate: false,
    answer: null,
    answeredAt: null,
    pausedAt: null,
    pauseReason: null,
    pausedRemaining: null,
    resumedDeadlines: null,
    updatedAt: fields.createdAt,
  }
}

function newReminder(ticket: Ticket, kind: string, dueAt: Date, now: Date): Reminder {
  const subject = ticketSubject(ticket)
  return {
    id: randomUUID(),
    tenantId: ticket.tenantId,
    kind,
    subjectType: subject.type,
    subjectId: subject.id,
    dueAt,
    groupId: null,
    recipients: [],
    status: 'pending',
    attempts: 0,
    lastError: null,
    firedAt: null,
    createdAt: now,
  }
}
