import { z } from 'zod'
import { domainError } from '../errors.ts'
import { isValidTimeZone } from '../../time/zone.ts'
import { minutesOfDay } from './days.ts'
import type { BusinessCalendar, DayHours } from './types.ts'

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:mm, e.g. 08:30')
const weekday = z.number().int().min(1, 'weekdays are 1 (Monday) to 7 (Sunday)').max(7, 'weekdays are 1 (Monday) to 7 (Sunday)')

/** Some weekdays with the same hours, e.g. {days:[1,2,3,4,5],start:"08:30",end:"17:30"}. */
const hoursRangeSchema = z
  .object({ days: z.array(weekday).min(1, 'name at least one weekday'), start: hhmm, end: hhmm })
  .strict()
  .refine((h) => minutesOfDay(h.start) < minutesOfDay(h.end), { message: 'start must be before end', path: ['end'] })

/**
 * Tenant.businessHours: one range (the original form, still accepted) or a list of ranges, e.g.
 * [{days:[1,2,3,4,5],start:"08:30",end:"17:30"},{days:[6],start:"09:00",end:"12:00"}].
 */
export const businessHoursSchema = z.union([hoursRangeSchema, z.array(hoursRangeSchema).min(1, 'name at least one working day')]).superRefine((value, ctx) => {
  const ranges = Array.isArray(value) ? value : [value]
  const seen = new Set<number>()
  for (const day of ranges.flatMap((range) => range.days)) {
    if (seen.has(day)) ctx.addIssue({ code: 'custom', message: `weekday ${day} is given twice` })
    seen.add(day)
  }
})

export type BusinessHours = z.infer<typeof businessHoursSchema>

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use yyyy-mm-dd')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'not a calendar date')

/** A list of yyyy-mm-dd dates, sorted and without duplicates. */
export const dateListSchema = z
  .array(isoDay)
  .max(1000)
  .transform((dates) => [...new Set(dates)].sort())

export function weeklyHours(hours: BusinessHours): Partial<Record<number, DayHours>> {
  const weekly: Partial<Record<number, DayHours>> = {}
  for (const range of Array.isArray(hours) ? hours : [hours]) {
    for (const day of range.days) weekly[day] = { start: range.start, end: range.end }
  }
  return weekly
}

export interface TenantCalendarFields {
  timeZone: string
  businessHours: unknown
  holidays: string[]
  extraWorkdays?: string[]
  officialHolidays?: boolean
}

/** The tenant's business calendar; throws BadInput tenant.invalid_policy for a stored bad value. */
export function calendarFor(tenant: TenantCalendarFields): BusinessCalendar {
  const hours = businessHoursSchema.safeParse(tenant.businessHours)
  if (!hours.success) throw domainError('tenant.invalid_policy', { issue: `businessHours: ${hours.error.issues[0]?.message}` })
  if (!isValidTimeZone(tenant.timeZone)) throw domainError('tenant.invalid_policy', { issue: `timeZone: ${tenant.timeZone}` })
  return {
    timeZone: tenant.timeZone,
    weekly: weeklyHours(hours.data),
    holidays: tenant.holidays,
    extraWorkdays: tenant.extraWorkdays ?? [],
    officialHolidays: tenant.officialHolidays ?? true,
  }
}
