import type { Clock } from '../../clock.ts'
import { runAfterWrite, runBeforeWrite } from '../../db/command-scope.ts'
import type { PrismaClient } from '../../generated/prisma/client.ts'
import type { TicketRef } from '../tickets/types.ts'
import { pauseTicket, resumeTicket } from './pause.ts'
// Each ticket kind registers its clocks.
import '../tickets/clock-planner.ts'
import '../complaints/clock-planner.ts'

/** Pause and resume as one transaction each, like every domain write (src/db/command-scope.ts). */
export function createClockService({ prisma, clock }: { prisma: PrismaClient; clock: Clock }) {
  return {
    pause: (input: TicketRef & { reason: string }) =>
      prisma.$transaction(async (tx) => {
        await runBeforeWrite(tx)
        const result = await pauseTicket(tx, clock.now(), input)
        await runAfterWrite(tx, result)
        return result
      }),
    resume: (input: TicketRef) =>
      prisma.$transaction(async (tx) => {
        await runBeforeWrite(tx)
        const result = await resumeTicket(tx, clock.now(), input)
        await runAfterWrite(tx, result)
        return result
      }),
  }
}
