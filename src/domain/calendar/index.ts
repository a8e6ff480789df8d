/**
 * A tenant's business calendar: weekly hours, its own days off and extra working days, and
 * China's official holidays and make-up days. calendarFor builds it; the rest are pure.
 */
export type { BusinessCalendar, DayHours } from './types.ts'
export { calendarFor, businessHoursSchema, dateListSchema, type BusinessHours, type TenantCalendarFields } from './settings.ts'
export { isWorkingDay, workingHoursOn, nextWorkingDay, minutesOfDay } from './days.ts'
export { endOfBusinessDay, nextWorkingDayStart, addWorkingDays, addBusinessMinutes, businessMsBetween } from './deadlines.ts'
export { officialDay, officialDayName, officialTableCovers, onUncoveredYear } from './official.ts'
