import type { GroupPurpose } from '../../generated/prisma/enums.ts'
import type { StaffBookingCounts } from '../bookings/queries.ts'
import type { CoverageLine } from '../follow-ups/coverage.ts'

/** Whose report it is: each group purpose reads its own figures (customer service: counts only). */
export type ReportScope = GroupPurpose

export type PeriodKind = 'day' | 'week' | 'month' | 'quarter'

/** A half-open range [from, to) of instants, named by its first local date in the tenant's zone. */
export interface ReportPeriod {
  kind: PeriodKind
  from: Date
  to: Date
  /** First local date (yyyy-mm-dd); a week, month or quarter is keyed by it too. */
  startDate: string
  /** Last local date included (yyyy-mm-dd). */
  endDate: string
}

/** One figure for the period and the same figure for the period before. */
export interface Change {
  value: number
  previous: number
}

export interface KindCounts {
  /** Recorded in the period. */
  created: Change
  /** Completed (repairs) or handled (complaints) in the period. */
  handled: Change
  /** Neither done nor cancelled at the end of the period. */
  open: Change
}

/** What the front desk (and, counts only, customer service) reads. */
export interface WorkFigures {
  repairs: KindCounts
  complaints: KindCounts
  /** Live bookings starting in the period, and in the period after it. */
  bookings: { current: Change; next: Change }
  followUps: { due: Change; done: Change; overdue: Change }
  /** Complaints recorded more than 30 minutes after they were received. */
  lateComplaints: Change
}

export interface TechnicianLoad {
  memberId: string
  name: string
  /** Assigned to them and not done at the end of the period. */
  open: number
  /** Completed by them in the period. */
  done: number
}

export interface ArrivalTimes {
  /** Immediate repairs whose technician arrived in the period. */
  count: number
  medianMinutes: number | null
  slowestMinutes: number | null
  limitMinutes: number
  overLimit: number
}

export interface MaintenanceFigures {
  technicians: TechnicianLoad[]
  /** Repairs past their resolution deadline and still not done at the end of the period. */
  overdue: Change
  arrival: ArrivalTimes
  repeatRepairs: Change
}

export interface DeadLetter {
  id: string
  at: Date
  groupName: string | null
  platform: string
  /** The platform's error, phone numbers masked. */
  error: string | null
}

export interface ManagementFigures {
  /** Resolution deadlines missed (reminders of kind *_breach that fired). */
  breaches: Change
  /** Escalations to supervisors that fired (kinds *_escalation). */
  escalations: Change
  majorComplaints: Change
  repeatRepairs: Change
  repeatComplainants: Change
  coverage: CoverageLine[]
  satisfaction: { reached: number; satisfied: number; averageRating: number | null }
  staffBookings: StaffBookingCounts[]
  deadLetters: { count: Change; items: DeadLetter[] }
}

/** Quarterly follow-up analysis: what failed and what came back. */
export interface FollowUpAnalysis {
  unsatisfied: number
  unreachable: number
  repeatComplaints: number
  repeatRepairs: number
}

/** Plain data: the chat renders it, the workspace shows it; no text, no platform. */
export interface ReportFigures {
  tenantId: string
  scope: ReportScope
  timeZone: string
  period: ReportPeriod
  previousPeriod: ReportPeriod
  work?: WorkFigures
  maintenance?: MaintenanceFigures
  management?: ManagementFigures
  followUpAnalysis?: FollowUpAnalysis
}

export interface TrendSeries {
  key: 'repairsCreated' | 'repairsHandled' | 'complaintsCreated' | 'complaintsHandled' | 'bookings' | 'followUpsDone'
  values: number[]
}

export interface Trend {
  tenantId: string
  timeZone: string
  /** Local dates, oldest first. */
  dates: string[]
  series: TrendSeries[]
}
