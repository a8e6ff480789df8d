import type { GroupPurpose, Reminder } from '../../generated/prisma/client.ts'
import type { Reply } from '../../messages/reply.ts'
import type { RepairMessages, TicketFacts } from '../messages.ts'
import { mentionOf, type Notification } from '../notifications.ts'
import { isDue, lateNoteAfterMs, type FireResult } from '../reminders/claim.ts'
import type { RepairPolicy } from '../policy.ts'
import { factsOf } from './facts.ts'
import { isRelevant, isRepairReminderKind, type RepairReminderKind } from './reminder-plan.ts'
import { claimWithEvent, lockReminderSubject } from './reminder-subject.ts'
import { loadRules, withTenantAsRead } from './rules.ts'
import type { Tx } from './types.ts'

function withLateNote(reply: Reply, messages: RepairMessages, lateMs: number): Reply {
  if (lateMs <= lateNoteAfterMs) return reply
  return { ...reply, lines: [...reply.lines, messages.lateNote(Math.round(lateMs / 60_000))] }
}

type Audience = 'technicians' | 'assignee' | 'supervisors'

interface KindSpec {
  purpose: GroupPurpose
  audience: Audience
  text(messages: RepairMessages, t: TicketFacts, policy: RepairPolicy, mentions: ReturnType<typeof mentionOf>[]): Reply
}

/** Who hears of each reminder, and where (domain.md: alert maintenance, escalate to management). */
const specs: Record<RepairReminderKind, KindSpec> = {
  'repair.unassigned_alert': {
    purpose: 'maintenance',
    audience: 'technicians',
    text: (m, t, p, at) => m.unassignedAlert(t, p.unassignedAlertMinutes, at),
  },
  'repair.assignee_reminder': {
    purpose: 'maintenance',
    audience: 'assignee',
    text: (m, t, p, at) => m.assigneeReminder(t, p.assigneeReminderMinutes, at),
  },
  'repair.onsite_escalation': {
    purpose: 'management',
    audience: 'supervisors',
    text: (m, t, p, at) => m.onSiteEscalation(t, p.onSiteMinutes, at),
  },
  'repair.appointment_reminder': {
    purpose: 'maintenance',
    audience: 'assignee',
    text: (m, t, p, at) => m.appointmentReminder(t, p.appointmentReminderMinutesBefore, at),
  },
  'repair.appointment_escalation': {
    purpose: 'management',
    audience: 'supervisors',
    text: (m, t, p, at) => m.appointmentEscalation(t, p.appointmentGraceMinutes, at),
  },
  'repair.resolve_warning': { purpose: 'maintenance', audience: 'assignee', text: (m, t, _p, at) => m.resolveWarning(t, at) },
  'repair.resolve_breach': { purpose: 'management', audience: 'supervisors', text: (m, t, _p, at) => m.resolveBreach(t, at) },
}

/**
 * Fires one due repair reminder. Lock order is ticket, then reminder — the same order ticket
 * operations use — so a worker and a command on the same ticket queue instead of deadlocking,
 * and the worker sees the command's outcome. The conditional UPDATE … WHERE status = 'pending'
 * lets only one of several concurrent workers send.
 *
 * One firing is the hot path when thousands fall due together, so it costs as few statements as
 * its rules allow: the lock with everything the message needs (ticket, assignee, tenant, members)
 * is one SELECT, the claim with its recipients and timeline event one statement, and the row it
 * returns is built from what was read and set rather than read again.
 */
export async function fireReminder(tx: Tx, now: Date, reminderId: string, read?: Reminder): Promise<FireResult> {
  const found = read ?? (await tx.reminder.findUnique({ where: { id: reminderId } }))
  if (!found || !isRepairReminderKind(found.kind)) return { outcome: 'not_found', reminder: found, notifications: [] }
  if (found.status !== 'pending') return { outcome: 'not_pending', reminder: found, notifications: [] }
  if (!isDue(found, now)) return { outcome: 'not_due', reminder: found, notifications: [] }

  const kind = found.kind
  const spec = specs[kind]
  const subject = await lockReminderSubject(tx, found.tenantId, found.subjectId, spec.audience === 'supervisors' ? 'supervisor' : 'technician', spec.audience === 'assignee')
  const ticket = subject?.ticket
  if (!subject || !ticket || ticket.kind !== 'repair' || !isRelevant(kind, ticket.status)) {
    const set = { status: 'skipped' as const, firedAt: now, recipients: found.recipients }
    return (await claimWithEvent(tx, reminderId, set, null)) ? { outcome: 'skipped', reminder: claimed(found, set), notifications: [] } : notPending(tx, reminderId)
  }

  const recipients = spec.audience === 'assignee' && ticket.assignee ? [ticket.assignee] : subject.members
  const set = { status: 'sent' as const, firedAt: now, recipients: recipients.map((member) => member.id) }
  const event = { tenantId: ticket.tenantId, ticketId: ticket.id, data: { reminderId, kind, recipients: recipients.map((member) => member.name) } }
  if (!(await claimWithEvent(tx, reminderId, set, event))) return notPending(tx, reminderId)

  const rules = await withTenantAsRead(subject.tenant, () => loadRules(tx, ticket.tenantId))
  const notification: Notification = {
    tenantId: ticket.tenantId,
    target: { kind: 'purpose', purpose: spec.purpose },
    reply: withLateNote(spec.text(rules.messages, factsOf(ticket), rules.policy, recipients.map(mentionOf)), rules.messages, now.getTime() - found.dueAt.getTime()),
    key: `reminder:${reminderId}`,
  }
  return { outcome: 'sent', reminder: claimed(found, set), notifications: [notification] }
}

/** The ticket lock is held, so nothing else changed the row since it was read: the claimed row is what was read with what was set. */
function claimed(found: Reminder, set: Pick<Reminder, 'status' | 'firedAt' | 'recipients'>): Reminder {
  return { ...found, ...set, attempts: found.attempts + 1 }
}

async function notPending(tx: Tx, reminderId: string): Promise<FireResult> {
  return { outcome: 'not_pending', reminder: await tx.reminder.findUnique({ where: { id: reminderId } }), notifications: [] }
}
