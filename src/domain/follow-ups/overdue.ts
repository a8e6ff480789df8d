import type { FollowUp } from '../../generated/prisma/client.ts'
import { mentionOf, type Notification } from '../notifications.ts'
import { factsOf } from '../tickets/facts.ts'
import { membersWithRole } from '../tickets/members.ts'
import { loadRules } from '../tickets/rules.ts'
import { recordEvent } from '../tickets/timeline.ts'
import type { Effects, TenantRules, Tx } from '../tickets/types.ts'

export interface OverdueResult extends Effects {
  flagged: FollowUp[]
}

/**
 * Marks ticket follow-ups of every kind whose window closed as overdue, across tenants (a
 * periodic sweep), and tells the front desk. The conditional UPDATE makes two overlapping sweeps
 * flag and announce each one once.
 */
export async function flagOverdueFollowUps(tx: Tx, now: Date): Promise<OverdueResult> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "FollowUp" SET "status" = 'overdue'
    WHERE "status" = 'pending' AND "dueBy" < ${now} AND "ticketId" IS NOT NULL
    RETURNING "id"`
  if (rows.length === 0) return { flagged: [], reminders: { scheduled: [], cancelled: [] }, notifications: [] }

  const flagged = await tx.followUp.findMany({
    where: { id: { in: rows.map((row) => row.id) } },
    include: { ticket: { include: { assignee: true } }, assignee: true },
    orderBy: { dueBy: 'asc' },
  })
  const rulesByTenant = new Map<string, TenantRules>()
  const notifications: Notification[] = []
  for (const followUp of flagged) {
    const { ticket } = followUp
    if (!ticket) continue
    let rules = rulesByTenant.get(followUp.tenantId)
    if (!rules) rulesByTenant.set(followUp.tenantId, (rules = await loadRules(tx, followUp.tenantId)))
    await recordEvent(tx, ticket, 'followup_overdue', null, now, { followUpId: followUp.id, kind: followUp.kind, dueBy: followUp.dueBy.toISOString() })
    const mentions = followUp.assignee ? [followUp.assignee] : await membersWithRole(tx, followUp.tenantId, 'agent')
    notifications.push({
      tenantId: followUp.tenantId,
      target: { kind: 'purpose', purpose: 'front_desk' },
      reply: rules.messages.followUpOverdue(factsOf(ticket), followUp.kind, followUp.dueBy, mentions.map(mentionOf)),
      key: `followup:${followUp.id}:overdue`,
    })
  }
  const plain = flagged.map(({ ticket: _ticket, assignee: _assignee, ...row }): FollowUp => row)
  return { flagged: plain, reminders: { scheduled: [], cancelled: [] }, notifications }
}
