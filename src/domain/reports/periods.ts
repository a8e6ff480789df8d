import { addDays, isoDate, localParts, zonedTime, type LocalDate } from '../time.ts'
import type { PeriodKind, ReportPeriod } from './types.ts'

export function parseIsoDate(date: string): LocalDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!match) throw new RangeError(`not a yyyy-mm-dd date: ${date}`)
  return { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }
}

const startOf = (date: LocalDate, timeZone: string) => zonedTime({ ...date, hour: 0, minute: 0 }, timeZone)

/** Local dates [first, afterLast) as a period of instants in the zone. */
export function periodOf(kind: PeriodKind, first: LocalDate, afterLast: LocalDate, timeZone: string): ReportPeriod {
  return { kind, from: startOf(first, timeZone), to: startOf(afterLast, timeZone), startDate: isoDate(first), endDate: isoDate(addDays(afterLast, -1)) }
}

export function dayPeriod(date: string, timeZone: string): ReportPeriod {
  const day = parseIsoDate(date)
  return periodOf('day', day, addDays(day, 1), timeZone)
}

/** The ISO week (Monday to Sunday) containing `date`. */
export function weekPeriod(date: string, timeZone: string): ReportPeriod {
  const day = parseIsoDate(date)
  const weekday = (new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay() + 6) % 7
  const monday = addDays(day, -weekday)
  return periodOf('week', monday, addDays(monday, 7), timeZone)
}

function monthIndexPeriod(kind: PeriodKind, firstIndex: number, months: number, timeZone: string): ReportPeriod {
  const at = (i: number): LocalDate => ({ year: Math.floor(i / 12), month: (i % 12) + 1, day: 1 })
  return periodOf(kind, at(firstIndex), at(firstIndex + months), timeZone)
}

export function monthPeriodOf(date: string, timeZone: string): ReportPeriod {
  const day = parseIsoDate(date)
  return monthIndexPeriod('month', day.year * 12 + day.month - 1, 1, timeZone)
}

export function quarterPeriodOf(date: string, timeZone: string): ReportPeriod {
  const day = parseIsoDate(date)
  const index = day.year * 12 + day.month - 1
  return monthIndexPeriod('quarter', index - (index % 3), 3, timeZone)
}

export function periodContaining(kind: PeriodKind, date: string, timeZone: string): ReportPeriod {
  if (kind === 'day') return dayPeriod(date, timeZone)
  if (kind === 'week') return weekPeriod(date, timeZone)
  if (kind === 'month') return monthPeriodOf(date, timeZone)
  return quarterPeriodOf(date, timeZone)
}

/** The period of the same kind just before (a month before a month, whatever its length). */
export function previousPeriod(period: ReportPeriod, timeZone: string): ReportPeriod {
  const dayBefore = isoDate(addDays(parseIsoDate(period.startDate), -1))
  return periodContaining(period.kind, dayBefore, timeZone)
}

/** The period right after (tomorrow after today). */
export function nextPeriod(period: ReportPeriod, timeZone: string): ReportPeriod {
  const dayAfter = isoDate(addDays(parseIsoDate(period.endDate), 1))
  return periodContaining(period.kind, dayAfter, timeZone)
}

/** A custom range of whole local dates [from, to]: a period of kind 'day' length or more. */
export function rangePeriod(from: string, to: string, timeZone: string): ReportPeriod {
  const first = parseIsoDate(from)
  const last = parseIsoDate(to)
  const days = Math.round((Date.UTC(last.year, last.month - 1, last.day) - Date.UTC(first.year, first.month - 1, first.day)) / 86_400_000) + 1
  const kind: PeriodKind = days <= 1 ? 'day' : days <= 7 ? 'week' : days <= 31 ? 'month' : 'quarter'
  return periodOf(kind, first, addDays(last, 1), timeZone)
}

/** The same length of time ending where `period` starts (for a custom range). */
export function rangeBefore(period: ReportPeriod, timeZone: string): ReportPeriod {
  const first = parseIsoDate(period.startDate)
  const last = parseIsoDate(period.endDate)
  const days = Math.round((Date.UTC(last.year, last.month - 1, last.day) - Date.UTC(first.year, first.month - 1, first.day)) / 86_400_000) + 1
  return periodOf(period.kind, addDays(first, -days), first, timeZone)
}

export function localDateOf(at: Date, timeZone: string): string {
  return isoDate(localParts(at, timeZone))
}

export function isLastDayOfMonth(date: string): boolean {
  const day = parseIsoDate(date)
  return addDays(day, 1).day === 1
}

export function isLastDayOfQuarter(date: string): boolean {
  return isLastDayOfMonth(date) && parseIsoDate(date).month % 3 === 0
}

export function isMonday(date: string): boolean {
  const day = parseIsoDate(date)
  return new Date(Date.UTC(day.year, day.month - 1, day.day)).getUTCDay() === 1
}
