import type { Member, Reminder } from '../../generated/prisma/client.ts'
import { mentionOf } from '../notifications.ts'
import { claimReminder, isFireResult, markRecipients, notFired, skipReminder, type FireResult } from '../reminders/claim.ts'
import { membersWithRole } from '../tickets/members.ts'
import { loadRules } from '../tickets/rules.ts'
import { recordEvent } from '../tickets/timeline.ts'
import type { Tx } from '../tickets/types.ts'
import { followUpMessages } from './messages.ts'
import { followUpFacts } from './record.ts'
import { isFollowUpReminderKind } from './reminders.ts'

/**
 * Fires a follow-up reminder: a window that closed with no call goes to the supervisors in the
 * management group; a planned retry goes to the caller at the front desk. Either is moot once the
 * follow-up is done or cancelled (or, for the escalation, once someone has tried to call).
 */
export async function fireFollowUpReminder(tx: Tx, now: Date, reminderId: string, read?: Reminder): Promise<FireResult> {
  const claimed = await claimReminder(tx, now, reminderId, async (reminder) => {
    await tx.$queryRaw`SELECT "id" FROM "FollowUp" WHERE "id" = ${reminder.subjectId} AND "tenantId" = ${reminder.tenantId} FOR UPDATE`
  }, read)
  if (isFireResult(claimed)) return claimed
  if (!isFollowUpReminderKind(claimed.kind)) return notFired('not_found', claimed)
  const followUp = await tx.followUp.findFirst({ where: { id: claimed.subjectId, tenantId: claimed.tenantId }, include: { ticket: true, assignee: true } })
  const open = followUp && (followUp.status === 'pending' || followUp.status === 'overdue')
  const moot = !open || (claimed.kind === 'followup.escalation' && followUp.attempts > 0) || (claimed.kind === 'followup.retry' && followUp.nextAttemptAt?.getTime() !== claimed.dueAt.getTime())
  if (!followUp || moot) return skipReminder(tx, reminderId)

  const rules = await loadRules(tx, followUp.tenantId)
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: followUp.tenantId } })
  const messages = followUpMessages(tenant.locale, rules.calendar.timeZone)
  const facts = followUpFacts(followUp, followUp.ticket)
  const escalation = claimed.kind === 'followup.escalation'
  const recipients: Member[] = escalation
    ? await membersWithRole(tx, followUp.tenantId, 'supervisor')
    : followUp.assignee
      ? [followUp.assignee]
      : await membersWithRole(tx, followUp.tenantId, 'agent')
  const reminder = await markRecipients(tx, reminderId, recipients.map((member) => member.id))
  if (followUp.ticket) await recordEvent(tx, followUp.ticket, 'reminder_sent', null, now, { reminderId, kind: claimed.kind, recipients: recipients.map((member) => member.name) })
  const mentions = recipients.map(mentionOf)
  return {
    outcome: 'sent',
    reminder,
    notifications: [
      {
        tenantId: followUp.tenantId,
        target: { kind: 'purpose', purpose: escalation ? 'management' : 'front_desk' },
        reply: escalation ? messages.escalation(facts, mentions) : messages.retry(facts, followUp.attempts, mentions),
        key: `reminder:${reminderId}`,
      },
    ],
  }
}
