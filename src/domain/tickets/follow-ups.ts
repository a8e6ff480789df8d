import type { FollowUp, Ticket } from '../../generated/prisma/client.ts'
import { planFollowUp } from '../follow-ups/plan.ts'
import { followUpKinds, type FollowUpKind } from '../follow-ups/windows.ts'
import { membersWithRole } from './members.ts'
import type { ReminderChanges, TenantRules, Tx } from './types.ts'

/** FollowUp.kind values of repairs. */
export const repairFollowUpKinds = { callback: followUpKinds.repairCallback, quality: followUpKinds.repairQuality } as const

/**
 * The call-backs a completed repair owes (domain.md, "Follow-ups", windows in
 * src/domain/follow-ups/windows.ts): the same day and, for repair works, a quality follow-up
 * between one and two months later. They go to an agent if the tenant has one.
 */
export async function createCompletionFollowUps(
  tx: Tx,
  ticket: Pick<Ticket, 'id' | 'tenantId' | 'category'>,
  rules: TenantRules,
  completedAt: Date,
): Promise<{ followUps: FollowUp[]; reminders: ReminderChanges }> {
  const [agent] = await membersWithRole(tx, ticket.tenantId, 'agent', 1)
  const kinds: FollowUpKind[] = [repairFollowUpKinds.callback]
  if (ticket.category && rules.policy.qualityFollowUpCategories.includes(ticket.category)) kinds.push(repairFollowUpKinds.quality)
  const planned = []
  for (const kind of kinds) {
    planned.push(await planFollowUp(tx, completedAt, { tenantId: ticket.tenantId, subject: { ticketId: ticket.id }, kind, completedAt, assigneeId: agent?.id ?? null }))
  }
  return {
    followUps: planned.map((p) => p.followUp),
    reminders: { scheduled: planned.flatMap((p) => p.reminders.scheduled), cancelled: [] },
  }
}

export { cancelOpenFollowUps } from '../follow-ups/plan.ts'
