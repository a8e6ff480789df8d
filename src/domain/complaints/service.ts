import type { Clock } from '../../clock.ts'
import { runAfterWrite, runBeforeWrite } from '../../db/command-scope.ts'
import type { PrismaClient } from '../../generated/prisma/client.ts'
import type { Tx } from '../tickets/types.ts'
import { createComplaint } from './create.ts'
import { answer, classify, handle, route } from './lifecycle.ts'

export type { CreateComplaintInput, CreateComplaintResult } from './create.ts'
export type { ComplaintResult, HandleResult } from './lifecycle.ts'
export { complaintReminderKinds, isComplaintReminderKind } from './clocks.ts'

/**
 * Complaints (投诉). Every write is one transaction that also appends to the timeline and
 * returns the reminder rows and notifications to act on after commit, like repairs.
 */
export function createComplaintService({ prisma, clock }: { prisma: PrismaClient; clock: Clock }) {
  const write =
    <Input, Result>(operation: (tx: Tx, now: Date, input: Input) => Promise<Result>) =>
    (input: Input): Promise<Result> =>
      prisma.$transaction(async (tx) => {
        await runBeforeWrite(tx)
        const result = await operation(tx, clock.now(), input)
        await runAfterWrite(tx, result)
        return result
      })
  return {
    create: write(createComplaint),
    classify: write(classify),
    route: write(route),
    handle: write(handle),
    answer: write(answer),
  }
}

export type ComplaintService = ReturnType<typeof createComplaintService>
