/**
 * Calendar arithmetic in a tenant's IANA time zone with nothing but Intl: "the 25th at 15:00 in
 * Asia/Shanghai" ↔ an instant. Civil dates are plain numbers so day arithmetic never crosses a
 * zone offset by accident.
 */
export interface CivilDate {
  year: number
  month: number
  day: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    // Throws RangeError for an unknown zone: a configuration mistake worth failing loudly on.
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** The wall-clock date and minute of the day at `instant` in `timeZone`. */
export function wallClock(instant: Date, timeZone: string): { date: CivilDate; minutes: number } {
  const parts: Record<string, number> = {}
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  return {
    date: { year: parts.year, month: parts.month, day: parts.day },
    minutes: parts.hour * 60 + parts.minute + parts.second / 60,
  }
}

/** Offset of `timeZone` from UTC at `epochMs`, in milliseconds. */
function offsetAt(epochMs: number, timeZone: string): number {
  const { date, minutes } = wallClock(new Date(epochMs), timeZone)
  const asUtc = Date.UTC(date.year, date.month - 1, date.day) + Math.round(minutes * 60_000)
  return asUtc - Math.floor(epochMs / 1000) * 1000
}

/**
 * The instant at which the wall clock in `timeZone` shows `date` plus `minutes` (may be 1440 for
 * the end of the day). In a spring-forward gap the later side of the gap is used.
 */
export function toInstant(date: CivilDate, minutes: number, timeZone: string): Date {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minutes * 60_000
  const first = wall - offsetAt(wall, timeZone)
  const second = wall - offsetAt(first, timeZone)
  return new Date(second)
}

export function addDays(date: CivilDate, days: number): CivilDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days))
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/** 0 = Monday … 6 = Sunday, the way Chinese weeks (周一…周日) are counted. */
export function weekdayOf(date: CivilDate): number {
  return (new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7
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
  try {
    formatterFor(timeZone)
  } catch {
    throw new RangeError(`Unknown time zone "${timeZone}"`)
  }
}
