import type { Clock } from '../../clock.ts'
import { runAfterWrite } from '../../db/command-scope.ts'
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { fireAnyReminder } from './fire.ts'

/** Fires reminder rows of every kind; the reminders worker calls it with the job id (= row id). */
export function createReminderService({ prisma, clock }: { prisma: PrismaClient; clock: Clock }) {
  return {
    fire: (reminderId: string) =>
      prisma.$transaction(async (tx) => {
        const result = await fireAnyReminder(tx, clock.now(), reminderId)
        // The caller may store the messages it causes in the same transaction (src/db/command-scope.ts).
        await runAfterWrite(tx, result)
        return result
      }),
  }
}
