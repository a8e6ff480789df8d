import type { Clock } from '../../clock.ts'
import { commandWriter } from '../../db/command-scope.ts'
import type { PrismaClient } from '../../generated/prisma/client.ts'
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
  const write = commandWriter(prisma, clock)
  return {
    create: write(createComplaint),
    classify: write(classify),
    route: write(route),
    handle: write(handle),
    answer: write(answer),
  }
}

export type ComplaintService = ReturnType<typeof createComplaintService>
