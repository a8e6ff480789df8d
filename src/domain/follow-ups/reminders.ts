import type { FollowUp } from '../../generated/prisma/client.ts'

/** Reminder kinds of follow-ups (subjectType 'followup', subjectId = FollowUp.id). */
export const followUpReminderKinds = ['followup.retry', 'followup.escalation'] as const
export type FollowUpReminderKind = (typeof followUpReminderKinds)[number]

export function isFollowUpReminderKind(kind: string): kind is FollowUpReminderKind {
  return (followUpReminderKinds as readonly string[]).includes(kind)
}

/**
 * The reminders an open follow-up should have: when its window closes with nobody having called,
 * the supervisors hear of it; after a call that found nobody, the caller is reminded to try again
 * at the planned time. Deterministic in the row, so re-planning is safe.
 */
export function followUpReminderPlan(followUp: Pick<FollowUp, 'status' | 'dueBy' | 'attempts' | 'nextAttemptAt'>): { kind: FollowUpReminderKind; dueAt: Date }[] {
  if (followUp.status !== 'pending' && followUp.status !== 'overdue') return []
  const plan: { kind: FollowUpReminderKind; dueAt: Date }[] = []
  if (followUp.attempts === 0) plan.push({ kind: 'followup.escalation', dueAt: followUp.dueBy })
  if (followUp.nextAttemptAt) plan.push({ kind: 'followup.retry', dueAt: followUp.nextAttemptAt })
  return plan
}
