import { addDays as addLocalDays, isoWeekday, isValidTimeZone, localParts, zonedTime, type LocalDate } from '../../time/zone.ts'

/**
 * The parser's view of calendar arithmetic in a tenant's zone ("the 25th at 15:00 in
 * Asia/Shanghai" ↔ an instant), on the shared helpers of src/time/zone.ts. Civil dates are plain
 * numbers so day arithmetic never crosses a zone offset by accident.
 */
export type CivilDate = LocalDate

/** The wall-clock date and minute of the day at `instant` in `timeZone`. */
export function wallClock(instant: Date, timeZone: string): { date: CivilDate; minutes: number } {
  const p = localParts(instant, timeZone)
  return { date: { year: p.year, month: p.month, day: p.day }, minutes: p.hour * 60 + p.minute + p.second / 60 }
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` plus `minutes` (may be 1440 for
 * the end of the day). In a spring-forward gap the later side of the gap is used.
 */
export function toInstant(date: CivilDate, minutes: number, timeZone: string): Date {
  return zonedTime({ ...date, hour: Math.floor(minutes / 60), minute: minutes % 60 }, timeZone)
}

export const addDays: (date: CivilDate, days: number) => CivilDate = addLocalDays

/** 0 = Monday … 6 = Sunday, the way Chinese weeks (周一…周日) are counted. */
export function weekdayOf(date: CivilDate): number {
  return isoWeekday(date) - 1
}

export function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || day > 31) return false
  const d = new Date(Date.UTC(year, month - 1, day))
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day
}

export function compareDates(a: CivilDate, b: CivilDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day
}

/** Throws a RangeError naming the zone when it is not a valid IANA zone. */
export function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`Unknown time zone "${timeZone}"`)
}
