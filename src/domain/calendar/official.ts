import table from 'chinese-days/dist/chinese-days.json' with { type: 'json' }

/**
 * China's official public holidays and make-up working days (调休) from the chinese-days table
 * (the State Council's yearly notice). The table only covers the years it lists; outside them the
 * weekly hours alone decide, and we warn once per year so someone updates the package.
 */
export type OfficialDay = 'holiday' | 'workday' | 'ordinary'

const holidays: Record<string, string> = table.holidays
const workdays: Record<string, string> = table.workdays
const coveredYears = new Set(Object.keys(holidays).map((date) => Number(date.slice(0, 4))))
const warnedYears = new Set<number>()

type Warn = (message: string) => void
let warn: Warn = (message) => process.emitWarning(message, { code: 'FRONTDESK_OFFICIAL_CALENDAR' })

/** Lets the app route the once-per-year warning to its logger. */
export function onUncoveredYear(sink: Warn): void {
  warn = sink
}

export function officialTableCovers(year: number): boolean {
  return coveredYears.has(year)
}

/** What the official table says about a yyyy-mm-dd date; 'ordinary' also outside its years. */
export function officialDay(isoDate: string): OfficialDay {
  if (holidays[isoDate]) return 'holiday'
  if (workdays[isoDate]) return 'workday'
  const year = Number(isoDate.slice(0, 4))
  if (!coveredYears.has(year) && !warnedYears.has(year)) {
    warnedYears.add(year)
    warn(`official holiday table has no data for ${year}; using the weekly working hours only`)
  }
  return 'ordinary'
}

/** The holiday's Chinese name (e.g. 国庆节) for a holiday or make-up day, else null. */
export function officialDayName(isoDate: string): string | null {
  const entry = holidays[isoDate] ?? workdays[isoDate]
  return entry ? (entry.split(',')[1] ?? null) : null
}
