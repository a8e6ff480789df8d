import type { Clock } from '../../clock.ts'
import { commandWriter } from '../../db/command-scope.ts'
import type { PrismaClient } from '../../generated/prisma/client.ts'
import { followUpCoverage, monthPeriod } from './coverage.ts'
import { flagOverdueFollowUps } from './overdue.ts'
import { listDueFollowUps } from './queries.ts'
import { correctFollowUp, recordFollowUp } from './record.ts'

export { planFollowUp, type PlanFollowUpInput, type PlannedFollowUp, type FollowUpSubject } from './plan.ts'
export { followUpKinds, type FollowUpKind } from './windows.ts'
export { followUpCoverage, monthPeriod, type CoverageLine, type Period } from './coverage.ts'
export type { RecordFollowUpInput, RecordFollowUpResult, CorrectFollowUpInput } from './record.ts'
export type { DueFollowUp } from './queries.ts'

/**
 * The follow-up program (回访) for every kind of work. Writes run in one transaction with the
 * command's own bookkeeping (src/db/command-scope.ts), like every domain write.
 */
export function createFollowUpService({ prisma, clock }: { prisma: PrismaClient; clock: Clock }) {
  const write = commandWriter(prisma, clock)
  return {
    record: write(recordFollowUp),
    correct: write(correctFollowUp),
    flagOverdue: (now: Date = clock.now()) => prisma.$transaction((tx) => flagOverdueFollowUps(tx, now)),
    listDue: (input: { tenantId: string; viewer: { id: string; roles: import('../../generated/prisma/client.ts').Role[] }; limit?: number }) =>
      listDueFollowUps(prisma, { ...input, now: clock.now() }),
    /** This month and the last, in the tenant's zone. */
    coverageThisAndLastMonth: async (tenantId: string, timeZone: string) => {
      const now = clock.now()
      const periods = [monthPeriod(now, timeZone, 0), monthPeriod(now, timeZone, -1)]
      return Promise.all(periods.map(async (period) => ({ period, lines: await followUpCoverage(prisma, { tenantId, ...period }) })))
    },
  }
}

export type FollowUpService = ReturnType<typeof createFollowUpService>
