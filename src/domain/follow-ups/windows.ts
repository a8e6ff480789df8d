import type { RepairPolicy } from '../policy.ts'
import { endOfBusinessDay, type BusinessCalendar } from '../calendar/index.ts'
import { addMonthsInZone } from '../time.ts'

/**
 * FollowUp.kind values and the window each one must happen in (domain.md, "Follow-ups"):
 * a complaint within 3 days after it is handled; a repair or home service the same day; repair
 * works (工程) between one and two months after; an emergency and any other service within a week.
 */
export const followUpKinds = {
  complaint: 'complaint',
  repairCallback: 'repair_callback',
  repairQuality: 'repair_quality',
  serviceCallback: 'service_callback',
  emergency: 'emergency',
  service: 'service',
} as const

export type FollowUpKind = (typeof followUpKinds)[keyof typeof followUpKinds]

export function isFollowUpKind(kind: string): kind is FollowUpKind {
  return (Object.values(followUpKinds) as string[]).includes(kind)
}

/** The coverage groups reports count, with the rate each must reach. */
export const coverageGroups = {
  complaint: { kinds: [followUpKinds.complaint], target: 1 },
  repair: { kinds: [followUpKinds.repairCallback, followUpKinds.repairQuality], target: 0.95 },
  service: { kinds: [followUpKinds.serviceCallback, followUpKinds.emergency, followUpKinds.service], target: 0.95 },
} as const satisfies Record<string, { kinds: FollowUpKind[]; target: number }>

export type CoverageGroup = keyof typeof coverageGroups

export interface FollowUpWindow {
  dueFrom: Date
  dueBy: Date
}

const DAY_MS = 24 * 3600_000

/** Calls that find nobody before a follow-up ends as unreachable. */
export const UNREACHABLE_ATTEMPTS = 3

/**
 * When a follow-up of `kind` for work completed at `completedAt` is due. "Same day" means by
 * close of business (of the next business day when finished after hours); a window of days ends
 * at close of business of its last day.
 */
export function followUpWindow(kind: FollowUpKind, completedAt: Date, calendar: BusinessCalendar, policy: RepairPolicy): FollowUpWindow {
  switch (kind) {
    case 'repair_callback':
    case 'service_callback':
      return { dueFrom: completedAt, dueBy: endOfBusinessDay(calendar, completedAt) }
    case 'repair_quality':
      return {
        dueFrom: addMonthsInZone(completedAt, policy.qualityFollowUpFromMonths, calendar.timeZone),
        dueBy: addMonthsInZone(completedAt, policy.qualityFollowUpToMonths, calendar.timeZone),
      }
    case 'complaint':
      return { dueFrom: completedAt, dueBy: endOfBusinessDay(calendar, new Date(completedAt.getTime() + 3 * DAY_MS)) }
    case 'emergency':
    case 'service':
      return { dueFrom: completedAt, dueBy: endOfBusinessDay(calendar, new Date(completedAt.getTime() + 7 * DAY_MS)) }
  }
}
