import type { Member, Reminder } from '../../generated/prisma/client.ts'
import type { Reply } from '../../messages/reply.ts'
import { mentionOf, type Notification } from '../notifications.ts'
import { claimReminder, isFireResult, lateNoteAfterMs, lockTicketRow, markRecipients, notFired, skipReminder, type FireResult } from '../reminders/claim.ts'
import { membersWithRole } from '../tickets/members.ts'
import { recordEvent } from '../tickets/timeline.ts'
import type { Tx } from '../tickets/types.ts'
import { isComplaintReminderKind, isRelevant, type ComplaintReminderKind } from './clocks.ts'
import { headsOf } from './departments.ts'
import type { ComplaintRow } from './load.ts'
import type { ComplaintFacts, ComplaintMessages } from './messages.ts'
import { complaintFacts, loadComplaintRules } from './rules.ts'

type Mentions = ReturnType<typeof mentionOf>[]

interface KindSpec {
  /** Who is told: the department heads (in the department's group), the agent (front desk) or the supervisors (management). */
  audience: 'heads' | 'agent' | 'supervisors'
  text(messages: ComplaintMessages, f: ComplaintFacts, mentions: Mentions): Reply
}

/** domain.md: warn the department head, escalate to the supervisors; the same-day answer falls to the agent first. */
const specs: Record<ComplaintReminderKind, KindSpec> = {
  'complaint.resolve_warning': { audience: 'heads', text: (m, f, at) => m.resolveWarning(f, at) },
  'complaint.resolve_breach': { audience: 'supervisors', text: (m, f, at) => m.resolveBreach(f, at) },
  'complaint.answer_reminder': { audience: 'agent', text: (m, f, at) => m.answerReminder(f, at) },
  'complaint.answer_escalation': { audience: 'supervisors', text: (m, f, at) => m.answerEscalation(f, at) },
}

async function audienceOf(tx: Tx, ticket: ComplaintRow, audience: KindSpec['audience']): Promise<{ members: Member[]; target: Notification['target'] }> {
  if (audience === 'heads') {
    const heads = await headsOf(tx, ticket.department)
    if (heads.length) {
      const target: Notification['target'] = ticket.department?.groupId ? { kind: 'group', groupId: ticket.department.groupId } : { kind: 'purpose', purpose: 'management' }
      return { members: heads, target }
    }
    // No head to warn yet: the supervisors hear of it.
    return { members: await membersWithRole(tx, ticket.tenantId, 'supervisor'), target: { kind: 'purpose', purpose: 'management' } }
  }
  if (audience === 'agent') {
    const reporter = ticket.reporter && ticket.reporter.roles.some((role) => role !== 'customer') ? [ticket.reporter] : await membersWithRole(tx, ticket.tenantId, 'agent')
    return { members: reporter, target: { kind: 'purpose', purpose: 'front_desk' } }
  }
  return { members: await membersWithRole(tx, ticket.tenantId, 'supervisor'), target: { kind: 'purpose', purpose: 'management' } }
}

/** Fires one due complaint reminder, exactly once (src/domain/reminders/claim.ts). */
export async function fireComplaintReminder(tx: Tx, now: Date, reminderId: string, read?: Reminder): Promise<FireResult> {
  const claimed = await claimReminder(tx, now, reminderId, lockTicketRow(tx), read)
  if (isFireResult(claimed)) return claimed
  if (!isComplaintReminderKind(claimed.kind)) return notFired('not_found', claimed)
  const ticket = await tx.ticket.findFirst({ where: { id: claimed.subjectId, tenantId: claimed.tenantId, kind: 'complaint' }, include: { department: true, reporter: true } })
  if (!ticket || !isRelevant(claimed.kind, ticket)) return skipReminder(tx, reminderId)

  const rules = await loadComplaintRules(tx, ticket.tenantId)
  const spec = specs[claimed.kind]
  const { members, target } = await audienceOf(tx, ticket, spec.audience)
  const reminder = await markRecipients(tx, reminderId, members.map((member) => member.id))
  await recordEvent(tx, ticket, 'reminder_sent', null, now, { reminderId, kind: claimed.kind, recipients: members.map((member) => member.name) })
  let reply = spec.text(rules.messages, complaintFacts(ticket), members.map(mentionOf))
  const lateMs = now.getTime() - claimed.dueAt.getTime()
  if (lateMs > lateNoteAfterMs) reply = { ...reply, lines: [...reply.lines, rules.messages.lateNote(Math.round(lateMs / 60_000))] }
  return { outcome: 'sent', reminder, notifications: [{ tenantId: ticket.tenantId, target, reply, key: `reminder:${reminderId}` }] }
}
