import { z } from 'zod'
import type { Priority } from '../generated/prisma/client.ts'
import { domainError } from './errors.ts'
import { isValidTimeZone, minutesOfDay, type BusinessCalendar } from './time.ts'

/**
 * Time limits from the procedures (/work/shared/domain.md, "Repair requests" and "Follow-ups").
 * A tenant overrides any of them through Tenant.policy; the admin API should validate writes with
 * `policyOverridesSchema` so a bad value never reaches a running ticket.
 */
export const defaultRepairPolicy = {
  /** Priorities that count as "immediate": someone on site within onSiteMinutes. */
  immediatePriorities: ['urgent'] as Priority[],
  onSiteMinutes: 15,
  /** Still unassigned this long after opening: alert the maintenance group. */
  unassignedAlertMinutes: 5,
  /** Remind the assignee (or the technicians if nobody took it). */
  assigneeReminderMinutes: 10,
  /** Appointment: remind the assignee this long before … */
  appointmentReminderMinutesBefore: 30,
  /** … and escalate when nobody is on site this long after. */
  appointmentGraceMinutes: 15,
  /** Resolution window by priority, from opening (or from the appointment). */
  resolveHours: { urgent: 4, high: 24, normal: 48, low: 72 } as Record<Priority, number>,
  /** Warn the assignee when this share of the resolution window has passed. */
  resolveWarningRatio: 0.8,
  /** Repair works (工程) get a quality follow-up between these months after completion. */
  qualityFollowUpCategories: ['工程'],
  qualityFollowUpFromMonths: 1,
  qualityFollowUpToMonths: 2,
  /** The same unit and category this many times within the window is a repeat repair. */
  repeatThreshold: 3,
  repeatWindowDays: 90,
}

export type RepairPolicy = typeof defaultRepairPolicy

const priority = z.enum(['low', 'normal', 'high', 'urgent'])
// Fractions are allowed (0.5 = 30 s): drills and tests run the same clocks faster.
const minutes = z.number().positive().max(7 * 24 * 60)

export const policyOverridesSchema = z
  .object({
    immediatePriorities: z.array(priority),
    onSiteMinutes: minutes,
    unassignedAlertMinutes: minutes,
    assigneeReminderMinutes: minutes,
    appointmentReminderMinutesBefore: minutes,
    appointmentGraceMinutes: minutes,
    resolveHours: z.object({ urgent: z.number().positive(), high: z.number().positive(), normal: z.number().positive(), low: z.number().positive() }).partial(),
    resolveWarningRatio: z.number().gt(0).lt(1),
    qualityFollowUpCategories: z.array(z.string().min(1)),
    qualityFollowUpFromMonths: z.number().int().min(0).max(24),
    qualityFollowUpToMonths: z.number().int().min(1).max(24),
    repeatThreshold: z.number().int().min(2),
    repeatWindowDays: z.number().int().min(1).max(3650),
  })
  .partial()
  .refine((p) => (p.qualityFollowUpFromMonths ?? 1) < (p.qualityFollowUpToMonths ?? 2), {
    message: 'qualityFollowUpFromMonths must be before qualityFollowUpToMonths',
  })

export type PolicyOverrides = z.infer<typeof policyOverridesSchema>

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/)
export const businessHoursSchema = z
  .object({ days: z.array(z.number().int().min(1).max(7)).min(1), start: hhmm, end: hhmm })
  .refine((h) => minutesOfDay(h.start) < minutesOfDay(h.end), { message: 'start must be before end' })

export type BusinessHours = z.infer<typeof businessHoursSchema>

/** Merges a tenant's overrides onto the defaults; throws BadInput tenant.invalid_policy. */
export function resolveRepairPolicy(raw: unknown): RepairPolicy {
  const parsed = policyOverridesSchema.safeParse(raw ?? {})
  if (!parsed.success) throw domainError('tenant.invalid_policy', { issue: parsed.error.issues[0]?.message ?? 'invalid' })
  const overrides = parsed.data
  return {
    ...defaultRepairPolicy,
    ...overrides,
    resolveHours: { ...defaultRepairPolicy.resolveHours, ...overrides.resolveHours },
  }
}

/** The tenant's business calendar; throws BadInput tenant.invalid_policy. */
export function resolveCalendar(tenant: { timeZone: string; businessHours: unknown; holidays: string[] }): BusinessCalendar {
  const hours = businessHoursSchema.safeParse(tenant.businessHours)
  if (!hours.success) throw domainError('tenant.invalid_policy', { issue: `businessHours: ${hours.error.issues[0]?.message}` })
  if (!isValidTimeZone(tenant.timeZone)) throw domainError('tenant.invalid_policy', { issue: `timeZone: ${tenant.timeZone}` })
  return { timeZone: tenant.timeZone, ...hours.data, holidays: tenant.holidays }
}
