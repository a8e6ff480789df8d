/**
 * Time-zone arithmetic with Intl only. Instants are Dates; "local" values are wall-clock parts in
 * a tenant's IANA zone. Business days follow the tenant's businessHours and holidays.
 */

export interface LocalDate {
  year: number
  /** 1–12 */
  month: number
  day: number
}

export interface LocalDateTime extends LocalDate {
  hour: number
  minute: number
  second: number
  /** ISO weekday: Monday 1 … Sunday 7 */
  weekday: number
}

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

const weekdays: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 }
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** Whether Intl knows the IANA zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone)
    return true
  } catch {
    return false
  }
}

export function localParts(at: Date, timeZone: string): LocalDateTime {
  const parts: Record<string, string> = {}
  for (const part of formatterFor(timeZone).formatToParts(at)) parts[part.type] = part.value
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: weekdays[parts.weekday],
  }
}

/** Milliseconds the zone is ahead of UTC at that instant. */
function offsetAt(at: Date, timeZone: string): number {
  const p = localParts(at, timeZone)
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second)
  return wall - Math.floor(at.getTime() / 1000) * 1000
}

/** The instant a wall-clock time happens in a zone (the later one inside a DST gap's shift). */
export function zonedTime(local: LocalDate & { hour: number; minute: number; second?: number }, timeZone: string): Date {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second ?? 0)
  const firstOffset = offsetAt(new Date(wall), timeZone)
  const secondOffset = offsetAt(new Date(wall - firstOffset), timeZone)
  return new Date(wall - secondOffset)
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days))
  return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() }
}

export function isoDate(date: LocalDate): string {
  return `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`
}

function isoWeekday(date: LocalDate): number {
  const day = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay()
  return day === 0 ? 7 : day
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
