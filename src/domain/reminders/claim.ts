import type { Reminder } from '../../generated/prisma/client.ts'
import type { Notification } from '../notifications.ts'
import type { Tx } from '../tickets/types.ts'

/**
 * sent        the notification is returned (exactly once per reminder)
 * skipped     the subject moved on (arrived, done, cancelled…) or is gone; nothing to say
 * not_pending the row was already fired, skipped or cancelled (e.g. a second worker)
 * not_due     called before its time; left pending for the real job
 * not_found   no such reminder, or not of the handler's family
 */
export type FireOutcome = 'sent' | 'skipped' | 'not_pending' | 'not_due' | 'not_found'

export interface FireResult {
  outcome: FireOutcome
  reminder: Reminder | null
  notifications: Notification[]
}

/** BullMQ and the database clocks may disagree by a little; firing slightly early is fine. */
const earlyToleranceMs = 30_000
/** Later than this, a reminder says how late it is (it fell due while the system was down). */
export const lateNoteAfterMs = 60_000

/** Due, give or take the clocks' disagreement. */
export const isDue = (reminder: Pick<Reminder, 'dueAt'>, now: Date): boolean => reminder.dueAt.getTime() <= now.getTime() + earlyToleranceMs

export const notFired = (outcome: FireOutcome, reminder: Reminder | null): FireResult => ({ outcome, reminder, notifications: [] })

/**
 * The exactly-once step every reminder goes through: lock its subject (the same lock the
 * subject's commands take, so a worker waits for a command and sees its outcome), then flip the
 * row from pending to sent with a conditional UPDATE, so of several workers only one goes on.
 * Returns the claimed row, or the outcome that stops the firing. `read` is the row when the caller
 * has just read it (the dispatcher does, for its kind), so it is not read twice.
 */
export async function claimReminder(tx: Tx, now: Date, reminderId: string, lockSubject: (reminder: Reminder) => Promise<void>, read?: Reminder): Promise<Reminder | FireResult> {
  const found = read ?? (await tx.reminder.findUnique({ where: { id: reminderId } }))
  if (!found) return notFired('not_found', null)
  if (found.status !== 'pending') return notFired('not_pending', found)
  if (!isDue(found, now)) return notFired('not_due', found)
  await lockSubject(found)
  const claimed = await tx.$queryRaw<{ id: string }[]>`
    UPDATE "Reminder" SET "status" = 'sent', "firedAt" = ${now}, "attempts" = "attempts" + 1
    WHERE "id" = ${reminderId} AND "status" = 'pending'
    RETURNING "id"`
  if (claimed.length === 0) return notFired('not_pending', await tx.reminder.findUnique({ where: { id: reminderId } }))
  return found
}

export const isFireResult = (value: Reminder | FireResult): value is FireResult => 'outcome' in value

/** The subject moved on: the reminder is done without a word. */
export async function skipReminder(tx: Tx, reminderId: string): Promise<FireResult> {
  const reminder = await tx.reminder.update({ where: { id: reminderId }, data: { status: 'skipped' } })
  return { outcome: 'skipped', reminder, notifications: [] }
}

/** Records who was told. */
export async function markRecipients(tx: Tx, reminderId: string, recipientIds: string[]): Promise<Reminder> {
  return tx.reminder.update({ where: { id: reminderId }, data: { recipients: recipientIds } })
}

export const lockTicketRow = (tx: Tx) => async (reminder: Reminder) => {
  await tx.$queryRaw`SELECT "id" FROM "Ticket" WHERE "id" = ${reminder.subjectId} AND "tenantId" = ${reminder.tenantId} FOR UPDATE`
}
