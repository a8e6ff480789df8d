import type { Ticket } from '../../generated/prisma/client.ts'
import { withPauseState } from '../clocks/pause-state.ts'
import { planRepairReminders } from './reminder-plan.ts'
import { syncReminders } from './reminder-sync.ts'
import { openedAt } from './timeline.ts'
import type { ReminderChanges, TenantRules, Tx } from './types.ts'

export const ticketSubject = (ticket: Pick<Ticket, 'id' | 'tenantId'>) => ({ tenantId: ticket.tenantId, type: 'ticket', id: ticket.id })

/**
 * Re-plans a repair's reminders after a change (pass `opened` when the round starts now). A
 * paused repair plans none; a resumed one keeps the deadlines its resume moved.
 */
export async function replanReminders(tx: Tx, ticket: Ticket, rules: TenantRules, now: Date, opened?: Date): Promise<ReminderChanges> {
  const start = opened ?? (await openedAt(tx, ticket))
  const plan = withPauseState(planRepairReminders(ticket, rules.policy, rules.calendar, start), ticket, start)
  return syncReminders(tx, ticketSubject(ticket), plan, now)
}
