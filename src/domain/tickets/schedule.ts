import type { Ticket } from '../../generated/prisma/client.ts'
import { planRepairReminders } from './reminder-plan.ts'
import { syncReminders } from './reminder-sync.ts'
import { openedAt } from './timeline.ts'
import type { ReminderChanges, TenantRules, Tx } from './types.ts'

export const ticketSubject = (ticket: Pick<Ticket, 'id' | 'tenantId'>) => ({ tenantId: ticket.tenantId, type: 'ticket', id: ticket.id })

/** Re-plans a repair's reminders after a change (pass `opened` when the round starts now). */
export async function replanReminders(tx: Tx, ticket: Ticket, rules: TenantRules, now: Date, opened?: Date): Promise<ReminderChanges> {
  const start = opened ?? (await openedAt(tx, ticket))
  return syncReminders(tx, ticketSubject(ticket), planRepairReminders(ticket, rules.policy, start), now)
}
