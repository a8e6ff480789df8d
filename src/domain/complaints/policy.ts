import { z } from 'zod'
import type { ComplaintType } from '../../generated/prisma/client.ts'
import { domainError } from '../errors.ts'

/**
 * Complaint time limits from the procedures (domain.md, "Complaints"). A tenant overrides them
 * under `complaints` in Tenant.policy; a department's own limit per kind wins over the default.
 */
export const defaultComplaintPolicy = {
  /** A complaint is recorded within this long of its receipt. */
  recordWithinMinutes: 30,
  /** Handling limit by kind when the department sets none. */
  limitHours: { effective: 24, communication: 4 } as Record<ComplaintType, number>,
  /** Warn the department head when this share of the handling window has passed. */
  warningRatio: 0.8,
  /** No answer by close of business: remind the agent then; the supervisors this long after. */
  answerEscalationMinutes: 60,
  /** The same phone or unit, same category, this many times within the window is a repeat. */
  repeatThreshold: 2,
  repeatWindowDays: 90,
}

export type ComplaintPolicy = typeof defaultComplaintPolicy

const hours = z.number().positive('must be more than 0 hours').max(24 * 60, 'must be at most 1440 hours (60 days)')
// Fractions are allowed (0.5 = 30 s) so drills and tests can run the answer clock faster.
const minutes = (max: number) => z.number().positive('must be more than 0 minutes').max(max, `must be at most ${max} minutes`)
const overridesShape = {
  recordWithinMinutes: minutes(24 * 60),
  limitHours: z.object({ effective: hours, communication: hours }).partial(),
  warningRatio: z.number().gt(0, 'must be more than 0').lt(1, 'must be less than 1'),
  answerEscalationMinutes: minutes(7 * 24 * 60),
  repeatThreshold: z.number().int('must be a whole number').min(2, 'must be at least 2'),
  repeatWindowDays: z.number().int('must be a whole number').min(1, 'must be at least 1 day').max(3650, 'must be at most 3650 days'),
}
/** Lenient for what is stored: an unknown key is ignored rather than stopping every complaint. */
const overridesSchema = z.object(overridesShape).partial()

/** What a tenant may set under policy.complaints: strict, so a misspelt key is refused, not ignored. */
export const complaintPolicyOverridesBody = z
  .strictObject({ ...overridesShape, limitHours: z.strictObject({ effective: hours, communication: hours }).partial() })
  .partial()

/** Department limits as stored in Department.limitHours. */
export const departmentLimitsSchema = z.object({ effective: hours, communication: hours }).partial()

export function resolveComplaintPolicy(raw: unknown): ComplaintPolicy {
  const nested = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).complaints : undefined
  const parsed = overridesSchema.safeParse(nested ?? {})
  if (!parsed.success) throw domainError('tenant.invalid_policy', { issue: `complaints: ${parsed.error.issues[0]?.message ?? 'invalid'}` })
  return { ...defaultComplaintPolicy, ...parsed.data, limitHours: { ...defaultComplaintPolicy.limitHours, ...parsed.data.limitHours } }
}

/** The tenant's complaint policy, or null when what is stored under `complaints` is unreadable. */
export function readComplaintPolicy(raw: unknown): ComplaintPolicy | null {
  try {
    return resolveComplaintPolicy(raw)
  } catch {
    return null
  }
}

/** The handling limit in hours for a complaint of `type` in a department (or the default). */
export function limitHoursFor(policy: ComplaintPolicy, type: ComplaintType, departmentLimits: unknown): number {
  const parsed = departmentLimitsSchema.safeParse(departmentLimits ?? {})
  return (parsed.success ? parsed.data[type] : undefined) ?? policy.limitHours[type]
}
