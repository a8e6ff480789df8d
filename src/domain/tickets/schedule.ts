import type { Ticket } from '../../generated/prisma/client.ts'
import { withPauseState } from '../clocks/pause-state.ts'
import { planRepairReminders, type PlannedReminder } from './reminder-plan.ts'
import { syncReminders } from './reminder-sync.ts'
import { openedAt } from './timeline.ts'
import type { ReminderChanges, TenantRules, Tx } from './types.ts'

export const ticketSubject = (ticket: Pick<Ticket, 'id' | 'tenantId'>) => ({ tenantId: ticket.tenantId, type: 'ticket', id: ticket.id })

/** The reminders a repair should have in the round opened at `opened`: none while paused; a resumed one keeps the deadlines its resume moved. */
export function plannedReminders(ticket: Ticket, rules: TenantRules, opened: Date): PlannedReminder[] {
  return withPauseState(planRepairReminders(ticket, rules.policy, rules.calendar, opened), ticket, opened)
}

/** Re-plans a repair's reminders after a change (pass `opened` when the round starts now). */
export async function replanReminders(tx: Tx, ticket: Ticket, rules: TenantRules, now: Date, opened?: Date): Promise<ReminderChanges> {
  const start = opened ?? (await openedAt(tx, ticket))
  return syncReminders(tx, ticketSubject(ticket), plannedReminders(ticket, rules, start), now)
}
