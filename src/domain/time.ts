import { addDays, isoDate, isoWeekday, localParts, zonedTime, type LocalDate } from '../time/zone.ts'

/**
 * Business days and deadlines in a tenant's zone: businessHours and holidays on top of the
 * wall-clock helpers of src/time/zone.ts (re-exported here for the domain's modules).
 */
export { addDays, isoDate, isValidTimeZone, localParts, zonedTime, type LocalDate, type LocalDateTime } from '../time/zone.ts'

export interface BusinessCalendar {
  timeZone: string
  /** ISO weekdays that are business days. */
  days: number[]
  /** "HH:mm" local */
  start: string
  end: string
  /** yyyy-mm-dd local dates that are not business days. */
  holidays: string[]
}

/** "HH:mm" → minutes after midnight. */
export function minutesOfDay(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':').map(Number)
  return hours * 60 + minutes
}

export function isBusinessDay(date: LocalDate, calendar: BusinessCalendar): boolean {
  return calendar.days.includes(isoWeekday(date)) && !calendar.holidays.includes(isoDate(date))
}

/** The first business day strictly after `date`. */
export function nextBusinessDay(date: LocalDate, calendar: BusinessCalendar): LocalDate {
  // Two years bounds the search even with a long holiday list; an empty week is a config error.
  for (let offset = 1; offset <= 731; offset++) {
    const candidate = addDays(date, offset)
    if (isBusinessDay(candidate, calendar)) return candidate
  }
  throw new RangeError('business calendar has no business day')
}

function atLocalTime(date: LocalDate, hhmm: string, timeZone: string): Date {
  const minutes = minutesOfDay(hhmm)
  return zonedTime({ ...date, hour: Math.floor(minutes / 60), minute: minutes % 60 }, timeZone)
}

/**
 * Close of business for work finished at `at`: today's end if `at` is on a business day before
 * closing; otherwise the end of the next business day (finished after hours or on a day off).
 */
export function endOfBusinessDay(at: Date, calendar: BusinessCalendar): Date {
  const local = localParts(at, calendar.timeZone)
  const closing = atLocalTime(local, calendar.end, calendar.timeZone)
  if (isBusinessDay(local, calendar) && at.getTime() < closing.getTime()) return closing
  return atLocalTime(nextBusinessDay(local, calendar), calendar.end, calendar.timeZone)
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** Same local wall time `months` later; the 31st becomes the month's last day when needed. */
export function addMonthsInZone(at: Date, months: number, timeZone: string): Date {
  const local = localParts(at, timeZone)
  const monthIndex = local.month - 1 + months
  const year = local.year + Math.floor(monthIndex / 12)
  const month = (((monthIndex % 12) + 12) % 12) + 1
  const day = Math.min(local.day, daysInMonth(year, month))
  const shifted = zonedTime({ year, month, day, hour: local.hour, minute: local.minute, second: local.second }, timeZone)
  return new Date(shifted.getTime() + (at.getTime() % 1000))
}

export function addMinutes(at: Date, minutes: number): Date {
  return new Date(at.getTime() + minutes * 60_000)
}
