import { addDays, isoDate, isoWeekday, type LocalDate } from '../../time/zone.ts'
import { officialDay } from './official.ts'
import type { BusinessCalendar, DayHours } from './types.ts'

/** "HH:mm" → minutes after midnight. */
export function minutesOfDay(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number)
  return hours * 60 + minutes
}

/**
 * The hours of a day worked outside the usual week (a make-up day or an extra working day): those
 * of the first weekday Monday–Friday the tenant works, else of any day it works.
 */
function standInHours(cal: BusinessCalendar): DayHours | null {
  for (const weekday of [1, 2, 3, 4, 5, 6, 7]) {
    const hours = cal.weekly[weekday]
    if (hours) return hours
  }
  return null
}

/**
 * The working hours on a local date, or null for a day off. Order of precedence: the tenant's
 * own days off, then its extra working days, then the official table (if it follows it), then
 * the weekly hours.
 */
export function workingHoursOn(cal: BusinessCalendar, localDate: LocalDate): DayHours | null {
  const date = isoDate(localDate)
  if (cal.holidays.includes(date)) return null
  const weekly = cal.weekly[isoWeekday(localDate)] ?? null
  // An extra or make-up working day stands in for a weekday, so it keeps weekday hours even on
  // a Saturday the tenant usually works only in the morning.
  if (cal.extraWorkdays.includes(date)) return standInHours(cal)
  if (cal.officialHolidays) {
    const official = officialDay(date)
    if (official === 'holiday') return null
    if (official === 'workday') return standInHours(cal)
  }
  return weekly
}

export function isWorkingDay(cal: BusinessCalendar, localDate: LocalDate): boolean {
  return workingHoursOn(cal, localDate) !== null
}

// Two years bounds every search, even with a long holiday list; a week without work is refused
// when the calendar is built.
const searchDays = 731

/** The first working day strictly after `localDate`. */
export function nextWorkingDay(cal: BusinessCalendar, localDate: LocalDate): LocalDate {
  for (let offset = 1; offset <= searchDays; offset++) {
    const candidate = addDays(localDate, offset)
    if (isWorkingDay(cal, candidate)) return candidate
  }
  throw new RangeError('business calendar has no working day')
}
