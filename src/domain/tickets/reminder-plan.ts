import type { Ticket, TicketStatus } from '../../generated/prisma/client.ts'
import { addBusinessMinutes, type BusinessCalendar } from '../calendar/index.ts'
import type { ClockKind, RepairPolicy } from '../policy.ts'
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

/** `minutes` after `from` on the given clock: any hour, or only the tenant's working hours. */
export function afterMinutes(from: Date, minutes: number, clock: ClockKind, calendar: BusinessCalendar): Date {
  return clock === 'business' ? addBusinessMinutes(calendar, from, minutes) : addMinutes(from, minutes)
}

/** The SLA clocks of a repair opened (or reopened) at `opened`. */
export function deadlines(
  ticket: Pick<Ticket, 'priority' | 'appointmentAt'>,
  policy: RepairPolicy,
  calendar: BusinessCalendar,
  opened: Date,
): Deadlines {
  const { clocks } = policy
  const appointmentAt = ticket.appointmentAt && ticket.appointmentAt >= opened ? ticket.appointmentAt : null
  const resolveFrom = appointmentAt ?? opened
  const respondBy = appointmentAt
    ? afterMinutes(appointmentAt, policy.appointmentGraceMinutes, clocks.appointmentGrace, calendar)
    : policy.immediatePriorities.includes(ticket.priority)
      ? afterMinutes(opened, policy.onSiteMinutes, clocks.onSite, calendar)
      : null
  const resolveBy = afterMinutes(resolveFrom, policy.resolveHours[ticket.priority] * 60, clocks.resolve[ticket.priority], calendar)
  return { respondBy, resolveBy, appointmentAt, resolveFrom }
}

export interface PlannedReminder {
  kind: RepairReminderKind
  dueAt: Date
}

/** A planned reminder and the clock it runs on (what a pause freezes and a resume restarts). */
export interface ClockedReminder extends PlannedReminder {
  clock: ClockKind
}

/** Every clock of a repair, whatever its status (planRepairReminders keeps the relevant ones). */
export function repairClocks(
  ticket: Pick<Ticket, 'priority' | 'appointmentAt'>,
  policy: RepairPolicy,
  calendar: BusinessCalendar,
  opened: Date,
): ClockedReminder[] {
  const { clocks } = policy
  const due = deadlines(ticket, policy, calendar, opened)
  const plan: ClockedReminder[] = []
  if (due.appointmentAt) {
    plan.push({ kind: 'repair.appointment_reminder', dueAt: addMinutes(due.appointmentAt, -policy.appointmentReminderMinutesBefore), clock: 'wall' })
    plan.push({ kind: 'repair.appointment_escalation', dueAt: due.respondBy!, clock: clocks.appointmentGrace })
  } else if (due.respondBy) {
    plan.push({ kind: 'repair.unassigned_alert', dueAt: afterMinutes(opened, policy.unassignedAlertMinutes, clocks.unassignedAlert, calendar), clock: clocks.unassignedAlert })
    plan.push({ kind: 'repair.assignee_reminder', dueAt: afterMinutes(opened, policy.assigneeReminderMinutes, clocks.assigneeReminder, calendar), clock: clocks.assigneeReminder })
    plan.push({ kind: 'repair.onsite_escalation', dueAt: due.respondBy, clock: clocks.onSite })
  }
  const resolveClock = clocks.resolve[ticket.priority]
  const warningAfter = policy.resolveHours[ticket.priority] * 60 * policy.resolveWarningRatio
  plan.push({ kind: 'repair.resolve_warning', dueAt: afterMinutes(due.resolveFrom, warningAfter, resolveClock, calendar), clock: resolveClock })
  plan.push({ kind: 'repair.resolve_breach', dueAt: due.resolveBy, clock: resolveClock })
  return plan
}

/**
 * Every reminder a repair in its current status should have. Deterministic in (ticket, policy,
 * calendar, opened), so re-planning after any change is safe: the sync inserts what is missing
 * and cancels what is no longer listed.
 */
export function planRepairReminders(
  ticket: Pick<Ticket, 'priority' | 'appointmentAt' | 'status'>,
  policy: RepairPolicy,
  calendar: BusinessCalendar,
  opened: Date,
): PlannedReminder[] {
  return repairClocks(ticket, policy, calendar, opened)
    .filter((reminder) => isRelevant(reminder.kind, ticket.status))
    .map(({ kind, dueAt }) => ({ kind, dueAt }))
}
