import type { GroupPurpose, Reminder } from '../../generated/prisma/client.ts'
import type { Reply } from '../../messages/reply.ts'
import type { RepairMessages, TicketFacts } from '../messages.ts'
import { mentionOf, type Notification } from '../notifications.ts'
import { isDue, lateNoteAfterMs, type FireResult } from '../reminders/claim.ts'
import type { RepairPolicy } from '../policy.ts'
import { factsOf } from './facts.ts'
import { isRelevant, isRepairReminderKind, type RepairReminderKind } from './reminder-plan.ts'
import { claimWithEvents, lockReminderSubjects, type ReminderClaim, type ReminderSubject } from './reminder-subject.ts'
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
 */
export async function fireReminder(tx: Tx, now: Date, reminderId: string, read?: Reminder): Promise<FireResult> {
  const found = read ?? (await tx.reminder.findUnique({ where: { id: reminderId } }))
  if (!found) return { outcome: 'not_found', reminder: null, notifications: [] }
  return (await fireRepairReminders(tx, now, [found]))[0]
}

/**
 * Fires due repair reminders already read, one result per row in order. Thousands falling due
 * together is the hot path, so a whole batch costs two statements whatever its size: the locks
 * with everything the messages need (tickets, assignees, tenant, members) in one SELECT, and the
 * claims with their recipients and timeline events in one statement. A claimed row is built from
 * what was read and set rather than read again.
 */
export async function fireRepairReminders(tx: Tx, now: Date, rows: Reminder[]): Promise<FireResult[]> {
  const results: FireResult[] = rows.map((row) => ({ outcome: 'not_found', reminder: row, notifications: [] }))
  const due: { ord: number; row: Reminder; kind: RepairReminderKind }[] = []
  rows.forEach((row, ord) => {
    if (!isRepairReminderKind(row.kind)) return
    if (row.status !== 'pending') results[ord] = { outcome: 'not_pending', reminder: row, notifications: [] }
    else if (!isDue(row, now)) results[ord] = { outcome: 'not_due', reminder: row, notifications: [] }
    else due.push({ ord, row, kind: row.kind })
  })
  const subjects = await lockReminderSubjects(
    tx,
    due.map(({ row, kind }) => ({ tenantId: row.tenantId, ticketId: row.subjectId, role: specs[kind].audience === 'supervisors' ? 'supervisor' : 'technician', unlessAssigned: specs[kind].audience === 'assignee' })),
  )

  const planned = due.map(({ ord, row, kind }, i) => planFiring(tx, now, row, kind, subjects[i], ord))
  const claimedIds = await claimWithEvents(tx, planned.map((plan) => plan.claim))
  const lost: number[] = []
  for (const plan of planned) {
    if (!claimedIds.has(plan.claim.reminderId)) lost.push(plan.ord)
    else results[plan.ord] = await plan.result()
  }
  // Another worker claimed these first: report the row as it stands now.
  if (lost.length) {
    const current = new Map((await tx.reminder.findMany({ where: { id: { in: lost.map((ord) => rows[ord].id) } } })).map((row) => [row.id, row]))
    for (const ord of lost) results[ord] = { outcome: 'not_pending', reminder: current.get(rows[ord].id) ?? null, notifications: [] }
  }
  return results
}

/** What one firing records, and the result it gives once its claim has held. */
function planFiring(tx: Tx, now: Date, found: Reminder, kind: RepairReminderKind, subject: ReminderSubject | null, ord: number): { ord: number; claim: ReminderClaim; result: () => Promise<FireResult> } {
  const spec = specs[kind]
  const ticket = subject?.ticket
  if (!subject || !ticket || ticket.kind !== 'repair' || !isRelevant(kind, ticket.status)) {
    const set = { status: 'skipped' as const, firedAt: now, recipients: found.recipients }
    return { ord, claim: { reminderId: found.id, ...set, event: null }, result: async () => ({ outcome: 'skipped', reminder: claimed(found, set), notifications: [] }) }
  }
  const recipients = spec.audience === 'assignee' && ticket.assignee ? [ticket.assignee] : subject.members
  const set = { status: 'sent' as const, firedAt: now, recipients: recipients.map((member) => member.id) }
  const event = { tenantId: ticket.tenantId, ticketId: ticket.id, data: { reminderId: found.id, kind, recipients: recipients.map((member) => member.name) } }
  return {
    ord,
    claim: { reminderId: found.id, ...set, event },
    result: async () => {
      const rules = await withTenantAsRead(subject.tenant, () => loadRules(tx, ticket.tenantId))
      const notification: Notification = {
        tenantId: ticket.tenantId,
        target: { kind: 'purpose', purpose: spec.purpose },
        reply: withLateNote(spec.text(rules.messages, factsOf(ticket), rules.policy, recipients.map(mentionOf)), rules.messages, now.getTime() - found.dueAt.getTime()),
        key: `reminder:${found.id}`,
      }
      return { outcome: 'sent', reminder: claimed(found, set), notifications: [notification] }
    },
  }
}
/** The ticket lock is held, so nothing else changed the row since it was read: the claimed row is what was read with what was set. */
function claimed(found: Reminder, set: Pick<Reminder, 'status' | 'firedAt' | 'recipients'>): Reminder {
  return { ...found, ...set, attempts: found.attempts + 1 }
}
