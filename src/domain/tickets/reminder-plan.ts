import type { Ticket, TicketStatus } from '../../generated/prisma/client.ts'
import type { RepairPolicy } from '../policy.ts'
import { addMinutes } from '../time.ts'

/** Reminder kinds of repair tickets (Reminder.kind); subjectType is always 'ticket'. */
export const repairReminderKinds = [
  'repair.unassigned_alert',
  'repair.assignee_reminder',
  'repair.onsite_escalation',
  'repair.appointment_reminder',
  'repair.appointment_escalation',
  'repair.resolve_warning',
  'repair.resolve_breach',
] as const
export type RepairReminderKind = (typeof repairReminderKinds)[number]

export function isRepairReminderKind(kind: string): kind is RepairReminderKind {
  return (repairReminderKinds as readonly string[]).includes(kind)
}

const waitingForSomeone: TicketStatus[] = ['open', 'assigned']
const unresolved: TicketStatus[] = ['open', 'assigned', 'on_site']

/** While the ticket is in one of these statuses the reminder still matters; otherwise it is moot. */
const relevantWhile: Record<RepairReminderKind, TicketStatus[]> = {
  'repair.unassigned_alert': ['open'],
  'repair.assignee_reminder': waitingForSomeone,
  'repair.onsite_escalation': waitingForSomeone,
  'repair.appointment_reminder': waitingForSomeone,
  'repair.appointment_escalation': waitingForSomeone,
  'repair.resolve_warning': unresolved,
  'repair.resolve_breach': unresolved,
}

export function isRelevant(kind: RepairReminderKind, status: TicketStatus): boolean {
  return relevantWhile[kind].includes(status)
}

export interface Deadlines {
  /** Someone on site by then (immediate priorities, or appointment + grace); null if no such clock. */
  respondBy: Date | null
  resolveBy: Date
  /** The appointment that drives the clocks, if it is still ahead of the opening. */
  appointmentAt: Date | null
  /** When the resolution window starts (opening, or the appointment). */
  resolveFrom: Date
}

/** The SLA clocks of a repair opened (or reopened) at `opened`. */
export function deadlines(
  ticket: Pick<Ticket, 'priority' | 'appointmentAt'>,
  policy: RepairPolicy,
  opened: Date,
): Deadlines {
  const appointmentAt = ticket.appointmentAt && ticket.appointmentAt >= opened ? ticket.appointmentAt : null
  const resolveFrom = appointmentAt ?? opened
  const respondBy = appointmentAt
    ? addMinutes(appointmentAt, policy.appointmentGraceMinutes)
    : policy.immediatePriorities.includes(ticket.priority)
      ? addMinutes(opened, policy.onSiteMinutes)
      : null
  const resolveBy = addMinutes(resolveFrom, policy.resolveHours[ticket.priority] * 60)
  return { respondBy, resolveBy, appointmentAt, resolveFrom }
}

export interface PlannedReminder {
  kind: RepairReminderKind
  dueAt: Date
}

/**
 * Every reminder a repair in its current status should have. Deterministic in (ticket, policy,
 * opened), so re-planning after any change is safe: the sync inserts what is missing and cancels
 * what is no longer listed.
 */
export function planRepairReminders(
  ticket: Pick<Ticket, 'priority' | 'appointmentAt' | 'status'>,
  policy: RepairPolicy,
  opened: Date,
): PlannedReminder[] {
  const clocks = deadlines(ticket, policy, opened)
  const plan: PlannedReminder[] = []
  if (clocks.appointmentAt) {
    plan.push({ kind: 'repair.appointment_reminder', dueAt: addMinutes(clocks.appointmentAt, -policy.appointmentReminderMinutesBefore) })
    plan.push({ kind: 'repair.appointment_escalation', dueAt: clocks.respondBy! })
  } else if (clocks.respondBy) {
    plan.push({ kind: 'repair.unassigned_alert', dueAt: addMinutes(opened, policy.unassignedAlertMinutes) })
    plan.push({ kind: 'repair.assignee_reminder', dueAt: addMinutes(opened, policy.assigneeReminderMinutes) })
    plan.push({ kind: 'repair.onsite_escalation', dueAt: clocks.respondBy })
  }
  const window = clocks.resolveBy.getTime() - clocks.resolveFrom.getTime()
  plan.push({ kind: 'repair.resolve_warning', dueAt: new Date(clocks.resolveFrom.getTime() + Math.round(window * policy.resolveWarningRatio)) })
  plan.push({ kind: 'repair.resolve_breach', dueAt: clocks.resolveBy })
  return plan.filter((reminder) => isRelevant(reminder.kind, ticket.status))
}
