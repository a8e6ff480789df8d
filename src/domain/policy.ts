import { z } from 'zod'
import type { Priority } from '../generated/prisma/client.ts'
import { domainError } from './errors.ts'

/**
 * Time limits from the procedures (/work/shared/domain.md, "Repair requests" and "Follow-ups").
 * A tenant overrides any of them through Tenant.policy; the admin API should validate writes with
 * `policyOverridesSchema` so a bad value never reaches a running ticket.
 */
/** How a time limit counts: at any hour, or only during working hours. */
export type ClockKind = 'wall' | 'business'

export interface RepairClocks {
  onSite: ClockKind
  unassignedAlert: ClockKind
  assigneeReminder: ClockKind
  appointmentGrace: ClockKind
  resolve: Record<Priority, ClockKind>
}

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
  /**
   * Which time each limit counts: 'wall' runs at any hour (someone on site within 15 minutes,
   * day or night); 'business' counts only the tenant's working hours (src/domain/calendar/).
   * domain.md sets no business-time window for repairs, so every repair clock runs on the wall.
   */
  clocks: {
    onSite: 'wall',
    unassignedAlert: 'wall',
    assigneeReminder: 'wall',
    appointmentGrace: 'wall',
    resolve: { urgent: 'wall', high: 'wall', normal: 'wall', low: 'wall' },
  } as RepairClocks,
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
const clock = z.enum(['wall', 'business'])
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
    clocks: z
      .object({
        onSite: clock,
        unassignedAlert: clock,
        assigneeReminder: clock,
        appointmentGrace: clock,
        resolve: z.object({ urgent: clock, high: clock, normal: clock, low: clock }).partial().strict(),
      })
      .partial()
      .strict(),
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

/** Merges a tenant's overrides onto the defaults; throws BadInput tenant.invalid_policy. */
export function resolveRepairPolicy(raw: unknown): RepairPolicy {
  const parsed = policyOverridesSchema.safeParse(raw ?? {})
  if (!parsed.success) throw domainError('tenant.invalid_policy', { issue: parsed.error.issues[0]?.message ?? 'invalid' })
  const overrides = parsed.data
  return {
    ...defaultRepairPolicy,
    ...overrides,
    resolveHours: { ...defaultRepairPolicy.resolveHours, ...overrides.resolveHours },
    clocks: {
      ...defaultRepairPolicy.clocks,
      ...overrides.clocks,
      resolve: { ...defaultRepairPolicy.clocks.resolve, ...overrides.clocks?.resolve },
    },
  }
}

