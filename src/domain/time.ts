import { localParts, zonedTime } from '../time/zone.ts'

/**
 * Wall-clock arithmetic for the domain's modules: the helpers of src/time/zone.ts re-exported,
 * plus month and minute steps. Business days and working hours live in ./calendar/.
 */
export { addDays, isoDate, isValidTimeZone, localParts, zonedTime, type LocalDate, type LocalDateTime } from '../time/zone.ts'

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
