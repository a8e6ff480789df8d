import { localParts, zonedTime, type LocalDate } from '../../time/zone.ts'
import { minutesOfDay, nextWorkingDay, workingHoursOn } from './days.ts'
import type { BusinessCalendar } from './types.ts'

function atLocalTime(date: LocalDate, minutes: number, timeZone: string): Date {
  return zonedTime({ year: date.year, month: date.month, day: date.day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, timeZone)
}

/** Opening and closing instants of a working day (null on a day off). */
function span(cal: BusinessCalendar, date: LocalDate): { opens: Date; closes: Date } | null {
  const hours = workingHoursOn(cal, date)
  if (!hours) return null
  return { opens: atLocalTime(date, minutesOfDay(hours.start), cal.timeZone), closes: atLocalTime(date, minutesOfDay(hours.end), cal.timeZone) }
}

/**
 * Close of the business day `at` falls in: today's closing if `at` is on a working day before it
 * closes; otherwise the closing of the next working day (after hours, or on a day off).
 */
export function endOfBusinessDay(cal: BusinessCalendar, at: Date): Date {
  const today = localParts(at, cal.timeZone)
  const hours = span(cal, today)
  if (hours && at < hours.closes) return hours.closes
  return span(cal, nextWorkingDay(cal, today))!.closes
}

/** Opening of the next working day strictly after the day `at` falls in, or today's if not yet open. */
export function nextWorkingDayStart(cal: BusinessCalendar, at: Date): Date {
  const today = localParts(at, cal.timeZone)
  const hours = span(cal, today)
  if (hours && at < hours.opens) return hours.opens
  return span(cal, nextWorkingDay(cal, today))!.opens
}

/**
 * Same local time `n` working days later (n ≥ 0); the closing instead when that day closes
 * earlier, the opening when it opens later. From a day off, counting starts at the next working day.
 */
export function addWorkingDays(cal: BusinessCalendar, at: Date, n: number): Date {
  if (!Number.isInteger(n) || n < 0) throw new RangeError('working days must be a whole number ≥ 0')
  const local = localParts(at, cal.timeZone)
  let day: LocalDate = local
  for (let i = 0; i < n; i++) day = nextWorkingDay(cal, day)
  const hours = span(cal, day) ?? span(cal, (day = nextWorkingDay(cal, day)))!
  const wanted = atLocalTime(day, local.hour * 60 + local.minute, cal.timeZone)
  if (wanted > hours.closes) return hours.closes
  if (wanted < hours.opens) return hours.opens
  return new Date(wanted.getTime() + (at.getTime() % 60_000))
}

/**
 * `minutes` of working time after `at`, skipping nights, days off and holidays. Time before
 * opening or after closing does not count; a deadline that lands exactly on a closing stays there.
 */
export function addBusinessMinutes(cal: BusinessCalendar, at: Date, minutes: number): Date {
  if (!(minutes >= 0)) throw new RangeError('business minutes must be ≥ 0')
  let left = minutes * 60_000
  let cursor = at
  let day: LocalDate = localParts(at, cal.timeZone)
  let hours = span(cal, day)
  for (let guard = 0; guard <= 731 * 2; guard++) {
    if (hours && cursor < hours.closes) {
      const from = cursor > hours.opens ? cursor : hours.opens
      const available = hours.closes.getTime() - from.getTime()
      if (left <= available) return new Date(from.getTime() + left)
      left -= available
    }
    day = nextWorkingDay(cal, day)
    hours = span(cal, day)
    cursor = hours!.opens
  }
  throw new RangeError('business minutes reach too far ahead')
}

/** Working time between two instants, in milliseconds (0 if `to` is not after `from`). */
export function businessMsBetween(cal: BusinessCalendar, from: Date, to: Date): number {
  if (to <= from) return 0
  let total = 0
  let day: LocalDate = localParts(from, cal.timeZone)
  for (let guard = 0; guard <= 731 * 2; guard++) {
    const hours = span(cal, day)
    if (hours) {
      if (hours.opens >= to) return total
      const start = Math.max(hours.opens.getTime(), from.getTime())
      const end = Math.min(hours.closes.getTime(), to.getTime())
      if (end > start) total += end - start
      if (hours.closes >= to) return total
    }
    day = nextWorkingDay(cal, day)
  }
  return total
}
