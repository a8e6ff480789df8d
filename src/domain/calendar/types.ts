/** A span of working time on one local day, "HH:mm" in the tenant's zone. */
export interface DayHours {
  start: string
  end: string
}

/**
 * When a tenant works: hours per ISO weekday, its own days off and extra working days, and
 * whether China's official holidays and make-up working days (调休) apply. Built once per
 * operation by calendarFor(tenant); every function on it is pure.
 */
export interface BusinessCalendar {
  timeZone: string
  /** ISO weekday (1 Monday … 7 Sunday) → hours; a missing weekday is a day off. */
  weekly: Partial<Record<number, DayHours>>
  /** yyyy-mm-dd local dates the tenant does not work (wins over everything). */
  holidays: string[]
  /** yyyy-mm-dd local dates the tenant works although the week or the official table says not. */
  extraWorkdays: string[]
  /** Follow the official public holidays and make-up working days. */
  officialHolidays: boolean
}
