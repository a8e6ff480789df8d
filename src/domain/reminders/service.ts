import type { Clock } from '../../clock.ts'
import { runAfterWrite } from '../../db/command-scope.ts'
import type { PrismaClient, Reminder } from '../../generated/prisma/client.ts'
import type { FireResult } from './claim.ts'
import { familyOf, fireAnyReminder, fireReadReminders } from './fire.ts'

/**
 * Families whose firing locks only its subject's row (a ticket or a follow-up): several of them
 * can fire in one transaction, their locks taken in subject order. A booking's firing may replan
 * its clocks and offer a waitlist place, so it keeps a transaction of its own.
 */
const sharesATransaction = new Set(['repair', 'complaint', 'followup'])

/** A batch holds its subjects' locks until it commits; commands on them wait at most this long for it. */
const BATCH_TIMEOUT_MS = 20_000

/** Fires reminder rows of every kind; the reminders worker calls it with the job ids (= row ids). */
export function createReminderService({ prisma, clock }: { prisma: PrismaClient; clock: Clock }) {
  const fire = (reminderId: string): Promise<FireResult> =>
    prisma.$transaction(async (tx) => {
      const result = await fireAnyReminder(tx, clock.now(), reminderId)
      // The caller may store the messages it causes in the same transaction (src/db/command-scope.ts).
      await runAfterWrite(tx, result)
      return result
    })

  /**
   * Fires many due reminders in one transaction, so thousands falling due together cost one
   * commit per batch rather than one per reminder (the commit's WAL flush was most of a firing's
   * time in PostgreSQL). The rows are read in one statement, the repairs among them fire as a set
   * (their tickets locked in id order, then the others in subject order); those of a family that keeps its own
   * transaction fire alone after the batch. One firing failing fails the batch: the caller then
   * fires each alone.
   */
  const fireMany = async (reminderIds: string[]): Promise<FireResult[]> => {
    const results = new Map<string, FireResult>()
    const alone = await prisma.$transaction(
      async (tx) => {
        const now = clock.now()
        const rows = await tx.reminder.findMany({ where: { id: { in: reminderIds } } })
        const together = rows.filter((row) => sharesATransaction.has(familyOf(row))).sort(bySubject)
        const fired = await fireReadReminders(tx, now, together)
        together.forEach((row, i) => results.set(row.id, fired[i]))
        await runAfterWrite(tx, { notifications: fired.flatMap((result) => result.notifications) })
        return rows.filter((row) => !sharesATransaction.has(familyOf(row))).map((row) => row.id)
      },
      { timeout: BATCH_TIMEOUT_MS },
    )
    for (const id of alone) results.set(id, await fire(id))
    return reminderIds.map((id) => results.get(id) ?? { outcome: 'not_found', reminder: null, notifications: [] })
  }

  return { fire, fireMany }
}

/** Every batch locks in the same order, so two batches sharing a subject queue instead of deadlocking. */
const bySubject = (a: Reminder, b: Reminder) => (a.subjectId < b.subjectId ? -1 : a.subjectId > b.subjectId ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
