import type { FollowUpOutcome } from '../../generated/prisma/client.ts'
import { localParts, zonedTime } from '../time.ts'
import type { Tx } from '../tickets/types.ts'
import { coverageGroups, type CoverageGroup } from './windows.ts'

export interface CoverageLine {
  group: CoverageGroup
  /** Follow-ups owed in the period: due within it, not cancelled. */
  owed: number
  /** Done with the customer reached (satisfied or not). */
  reached: number
  /** Ended unreachable after every attempt. */
  unreachable: number
  /** reached / owed; null when nothing was owed. */
  rate: number | null
  target: number
  met: boolean
  satisfied: number
  /** Mean of the ratings given; null when none were. */
  averageRating: number | null
}

export interface Period {
  from: Date
  to: Date
}

/** A calendar month in the tenant's zone: offset 0 is the month of `at`, -1 the one before. */
export function monthPeriod(at: Date, timeZone: string, offset = 0): Period {
  const local = localParts(at, timeZone)
  const index = local.year * 12 + (local.month - 1) + offset
  const first = (i: number) => zonedTime({ year: Math.floor(i / 12), month: (i % 12) + 1, day: 1, hour: 0, minute: 0 }, timeZone)
  return { from: first(index), to: first(index + 1) }
}

/**
 * The follow-up rate per kind of work for a period, against its target (complaints 100%,
 * repairs and services 95%), with the satisfaction of those reached. A follow-up belongs to the
 * period its window closes in, so one still open at the end of the period counts as owed.
 */
export async function followUpCoverage(db: Tx, input: { tenantId: string } & Period): Promise<CoverageLine[]> {
  const rows = await db.followUp.findMany({
    where: { tenantId: input.tenantId, status: { not: 'cancelled' }, dueBy: { gte: input.from, lt: input.to } },
    select: { kind: true, status: true, outcome: true, rating: true },
  })
  return (Object.entries(coverageGroups) as [CoverageGroup, (typeof coverageGroups)[CoverageGroup]][]).map(([group, spec]) => {
    const mine = rows.filter((row) => (spec.kinds as readonly string[]).includes(row.kind))
    const done = (outcome: FollowUpOutcome) => mine.filter((row) => row.status === 'done' && row.outcome === outcome)
    const reached = done('satisfied').length + done('unsatisfied').length
    const ratings = mine.filter((row) => row.status === 'done' && row.rating !== null).map((row) => row.rating!)
    const rate = mine.length ? reached / mine.length : null
    return {
      group,
      owed: mine.length,
      reached,
      unreachable: done('unreachable').length,
      rate,
      target: spec.target,
      met: rate === null || rate >= spec.target,
      satisfied: done('satisfied').length,
      averageRating: ratings.length ? ratings.reduce((a, b) => a + b, 0) / ratings.length : null,
    }
  })
}
