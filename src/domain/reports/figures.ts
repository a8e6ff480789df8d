import { staffBookingCounts } from '../bookings/queries.ts'
import { followUpCoverage } from '../follow-ups/coverage.ts'
import { resolveRepairPolicy } from '../policy.ts'
import type { Tx } from '../tickets/types.ts'
import { bookingStarts, followUpCounts } from './activity-figures.ts'
import { alertCounts, deadLetters } from './alerts.ts'
import { dayPeriod, nextPeriod, previousPeriod, rangeBefore, rangePeriod } from './periods.ts'
import { arrivalTimes, technicianLoads, ticketCounts } from './ticket-figures.ts'
import type { FollowUpAnalysis, ManagementFigures, ReportFigures, ReportPeriod, ReportScope, WorkFigures } from './types.ts'

/** A Prisma client or a transaction: reports only read. */
export type ReportReader = Pick<Tx, '$queryRaw' | 'member' | 'tenant' | 'followUp' | 'booking'>

interface TenantFacts {
  timeZone: string
  onSiteMinutes: number
}

async function tenantFacts(db: ReportReader, tenantId: string): Promise<TenantFacts> {
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { timeZone: true, policy: true } })
  return { timeZone: tenant.timeZone, onSiteMinutes: resolveRepairPolicy(tenant.policy).onSiteMinutes }
}

/** The day's figures for one audience, each with the day before; `date` is a local yyyy-mm-dd. */
export async function dailyFigures(db: ReportReader, input: { tenantId: string; date: string; scope: ReportScope }): Promise<ReportFigures> {
  const facts = await tenantFacts(db, input.tenantId)
  const period = dayPeriod(input.date, facts.timeZone)
  return figuresFor(db, input.tenantId, input.scope, facts, period, previousPeriod(period, facts.timeZone))
}

/**
 * Figures for any period: a week, month or quarter given by its local dates [from, to] (both
 * included), against the period before of the same kind (or the same length for a custom range).
 */
export async function periodFigures(db: ReportReader, input: { tenantId: string; from: string; to: string; scope: ReportScope; period?: ReportPeriod }): Promise<ReportFigures> {
  const facts = await tenantFacts(db, input.tenantId)
  const period = input.period ?? rangePeriod(input.from, input.to, facts.timeZone)
  const before = input.period ? previousPeriod(period, facts.timeZone) : rangeBefore(period, facts.timeZone)
  return figuresFor(db, input.tenantId, input.scope, facts, period, before)
}

async function figuresFor(db: ReportReader, tenantId: string, scope: ReportScope, facts: TenantFacts, period: ReportPeriod, before: ReportPeriod): Promise<ReportFigures> {
  const tickets = await ticketCounts(db, tenantId, period, before)
  const figures: ReportFigures = { tenantId, scope, timeZone: facts.timeZone, period, previousPeriod: before }

  if (scope === 'front_desk' || scope === 'customer_service') {
    const [current, next, previous] = await bookingStarts(db, tenantId, [period, nextPeriod(period, facts.timeZone), before])
    const work: WorkFigures = {
      repairs: tickets.repairs,
      complaints: tickets.complaints,
      bookings: { current: { value: current, previous }, next: { value: next, previous: current } },
      followUps: await followUpCounts(db, tenantId, period, before),
      lateComplaints: tickets.lateComplaints,
    }
    figures.work = work
  }
  if (scope === 'maintenance') {
    figures.maintenance = {
      technicians: await technicianLoads(db, tenantId, period),
      overdue: tickets.overdueRepairs,
      arrival: await arrivalTimes(db, tenantId, period, facts.onSiteMinutes),
      repeatRepairs: tickets.repeatRepairs,
    }
  }
  if (scope === 'management') {
    figures.management = await managementFigures(db, tenantId, period, before, tickets)
    if (period.kind === 'quarter') figures.followUpAnalysis = followUpAnalysis(figures.management)
  }
  return figures
}

async function managementFigures(
  db: ReportReader,
  tenantId: string,
  period: ReportPeriod,
  before: ReportPeriod,
  tickets: Awaited<ReturnType<typeof ticketCounts>>,
): Promise<ManagementFigures> {
  const alerts = await alertCounts(db, tenantId, period, before)
  const coverage = await followUpCoverage(db as Tx, { tenantId, from: period.from, to: period.to })
  const reached = coverage.reduce((sum, line) => sum + line.reached, 0)
  const satisfied = coverage.reduce((sum, line) => sum + line.satisfied, 0)
  const rated = coverage.filter((line) => line.averageRating !== null)
  // Mean of the groups' means weighted by who was reached: the same as the mean over all ratings when everyone rated.
  const weight = rated.reduce((sum, line) => sum + line.reached, 0)
  const averageRating = rated.length && weight ? rated.reduce((sum, line) => sum + line.averageRating! * line.reached, 0) / weight : null
  return {
    breaches: alerts.breaches,
    escalations: alerts.escalations,
    majorComplaints: tickets.majorComplaints,
    repeatRepairs: tickets.repeatRepairs,
    repeatComplainants: tickets.repeatComplainants,
    coverage,
    satisfaction: { reached, satisfied, averageRating: averageRating === null ? null : Math.round(averageRating * 10) / 10 },
    staffBookings: await staffBookingCounts(db as Tx, { tenantId, since: period.from, until: period.to }),
    deadLetters: await deadLetters(db, tenantId, period, before),
  }
}

function followUpAnalysis(management: ManagementFigures): FollowUpAnalysis {
  return {
    unsatisfied: management.coverage.reduce((sum, line) => sum + (line.reached - line.satisfied), 0),
    unreachable: management.coverage.reduce((sum, line) => sum + line.unreachable, 0),
    repeatComplaints: management.repeatComplainants.value,
    repeatRepairs: management.repeatRepairs.value,
  }
}
