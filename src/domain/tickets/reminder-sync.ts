import type { Reminder } from '../../generated/prisma/client.ts'
import type { ReminderChanges, Tx } from './types.ts'

const keyOf = (r: { kind: string; dueAt: Date }) => `${r.kind}@${r.dueAt.getTime()}`

/**
 * Makes the subject's reminder rows match the plan, inside the caller's transaction: inserts
 * missing future ones (a cancelled one that is wanted again is revived, since [subjectId, kind,
 * dueAt] is unique), and cancels pending ones the plan no longer lists. Past-due rows are not
 * created after the fact; pending past-due rows that are still wanted stay for the worker.
 */
export async function syncReminders(
  tx: Tx,
  subject: { tenantId: string; type: string; id: string },
  plan: { kind: string; dueAt: Date }[],
  now: Date,
): Promise<ReminderChanges> {
  const existing = await tx.reminder.findMany({ where: { tenantId: subject.tenantId, subjectId: subject.id } })
  const byKey = new Map(existing.map((row) => [keyOf(row), row]))
  const wanted = new Set(plan.map(keyOf))

  const missing = plan.filter((p) => !byKey.has(keyOf(p)) && p.dueAt > now)
  const revive = plan
    .map((p) => byKey.get(keyOf(p)))
    .filter((row): row is Reminder => row !== undefined && row.status === 'cancelled' && row.dueAt > now)
  const obsolete = existing.filter((row) => row.status === 'pending' && !wanted.has(keyOf(row)))

  const scheduled: Reminder[] = []
  if (missing.length > 0) {
    scheduled.push(
      ...(await tx.reminder.createManyAndReturn({
        data: missing.map((p) => ({ tenantId: subject.tenantId, kind: p.kind, subjectType: subject.type, subjectId: subject.id, dueAt: p.dueAt })),
      })),
    )
  }
  for (const row of revive) {
    scheduled.push(await tx.reminder.update({ where: { id: row.id }, data: { status: 'pending', firedAt: null } }))
  }
  // Conditional on pending: a row a worker fired meanwhile is not reported as cancelled.
  const cancelled =
    obsolete.length === 0
      ? []
      : await tx.reminder.updateManyAndReturn({
          where: { id: { in: obsolete.map((row) => row.id) }, status: 'pending' },
          data: { status: 'cancelled' },
          select: { id: true },
        })
  scheduled.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime())
  return { scheduled, cancelled: cancelled.map((row) => row.id) }
}

/** Cancels every pending reminder of a subject (the subject is finished). */
export async function cancelAllReminders(tx: Tx, subject: { tenantId: string; type: string; id: string }, now: Date): Promise<ReminderChanges> {
  return syncReminders(tx, subject, [], now)
}
