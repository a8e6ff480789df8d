import type { Ticket, TicketKind, TicketStatus } from '../../generated/prisma/client.ts'
import type { ReminderChanges, TenantRules, Tx } from '../tickets/types.ts'
import type { Clock } from './pause-state.ts'

/**
 * What pausing needs to know about one kind of ticket (repair, complaint…): its clocks, how to
 * re-plan its reminders, which deadline columns mirror which clock, and when its clocks run.
 * Each kind registers its own, so pause and resume never assume repairs.
 */
export interface ClockPlanner {
  /** The ticket's clocks in its current round, with deadlines moved by an earlier resume. */
  clocks(tx: Tx, ticket: Ticket, rules: TenantRules): Promise<{ round: Date; clocks: Clock[] }>
  /** Makes the reminder rows match the (pause-aware) plan. */
  replan(tx: Tx, ticket: Ticket, rules: TenantRules, now: Date): Promise<ReminderChanges>
  /** Ticket columns that show a clock's deadline, e.g. resolveBy ← ['repair.resolve_breach']. */
  deadlineColumns: Partial<Record<'respondBy' | 'resolveBy', string[]>>
  /** Statuses in which the clocks run and a pause makes sense. */
  runningStatuses: TicketStatus[]
}

const planners = new Map<TicketKind, ClockPlanner>()

export function registerClockPlanner(kind: TicketKind, planner: ClockPlanner): void {
  planners.set(kind, planner)
}

export function clockPlannerFor(kind: TicketKind): ClockPlanner | undefined {
  return planners.get(kind)
}
