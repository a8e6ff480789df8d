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

const hours = z.number().positive().max(24 * 60)
const overridesSchema = z
  .object({
    recordWithinMinutes: z.number().positive().max(24 * 60),
    limitHours: z.object({ effective: hours, communication: hours }).partial(),
    warningRatio: z.number().gt(0).lt(1),
    answerEscalationMinutes: z.number().positive().max(7 * 24 * 60),
    repeatThreshold: z.number().int().min(2),
    repeatWindowDays: z.number().int().min(1).max(3650),
  })
  .partial()

/** Department limits as stored in Department.limitHours. */
export const departmentLimitsSchema = z.object({ effective: hours, communication: hours }).partial()

export function resolveComplaintPolicy(raw: unknown): ComplaintPolicy {
  const nested = raw && typeof raw === 'object' ? (raw as Record<string, unknown>).complaints : undefined
  const parsed = overridesSchema.safeParse(nested ?? {})
  if (!parsed.success) throw domainError('tenant.invalid_policy', { issue: `complaints: ${parsed.error.issues[0]?.message ?? 'invalid'}` })
  return { ...defaultComplaintPolicy, ...parsed.data, limitHours: { ...defaultComplaintPolicy.limitHours, ...parsed.data.limitHours } }
}

/** The handling limit in hours for a complaint of `type` in a department (or the default). */
export function limitHoursFor(policy: ComplaintPolicy, type: ComplaintType, departmentLimits: unknown): number {
  const parsed = departmentLimitsSchema.safeParse(departmentLimits ?? {})
  return (parsed.success ? parsed.data[type] : undefined) ?? policy.limitHours[type]
}
