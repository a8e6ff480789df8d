import { describe, expect, it } from 'vitest'
import {
  addBusinessMinutes,
  addWorkingDays,
  businessHoursSchema,
  calendarFor,
  endOfBusinessDay,
  isWorkingDay,
  nextWorkingDayStart,
  officialTableCovers,
  onUncoveredYear,
  workingHoursOn,
  type TenantCalendarFields,
} from '../../src/domain/calendar/index.ts'

// Asia/Shanghai is UTC+8 all year: 17:30 local is 09:30Z.
const local = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`)
const day = (iso: string) => {
  const [year, month, dayOfMonth] = iso.split('-').map(Number)
  return { year, month, day: dayOfMonth }
}

const office: TenantCalendarFields = {
  timeZone: 'Asia/Shanghai',
  businessHours: [
    { days: [1, 2, 3, 4, 5], start: '08:30', end: '17:30' },
    { days: [6], start: '09:00', end: '12:00' },
  ],
  holidays: [],
}
const monToFri: TenantCalendarFields = { timeZone: 'Asia/Shanghai', businessHours: { days: [1, 2, 3, 4, 5], start: '08:30', end: '17:30' }, holidays: [] }

describe('business calendar: weekly hours', () => {
  it('reads the per-weekday form and the original {days,start,end} form', () => {
    const cal = calendarFor(office)
    expect(workingHoursOn(cal, day('2026-11-23'))).toEqual({ start: '08:30', end: '17:30' }) // Monday
    expect(workingHoursOn(cal, day('2026-11-28'))).toEqual({ start: '09:00', end: '12:00' }) // Saturday
    expect(workingHoursOn(cal, day('2026-11-29'))).toBeNull() // Sunday
    const legacy = calendarFor(monToFri)
    expect(isWorkingDay(legacy, day('2026-11-27'))).toBe(true)
    expect(isWorkingDay(legacy, day('2026-11-28'))).toBe(false)
  })

  it('refuses hours that overlap or end before they start', () => {
    const overlap = businessHoursSchema.safeParse([{ days: [1, 2], start: '08:30', end: '17:30' }, { days: [2], start: '09:00', end: '12:00' }])
    expect(overlap.error?.issues[0]?.message).toBe('weekday 2 is given twice')
    expect(businessHoursSchema.safeParse({ days: [1], start: '18:00', end: '09:00' }).error?.issues[0]?.message).toBe('start must be before end')
    expect(() => calendarFor({ ...office, businessHours: { days: [1], start: '18:00', end: '09:00' } })).toThrow('tenant.invalid_policy')
  })
})

describe('business calendar: China official holidays (chinese-days, 2026 schedule)', () => {
  const cal = calendarFor(monToFri)

  it('a repair finished at 17:50 on the last working day before National Day gets its call-back deadline on the first working day after it', () => {
    // 2026: 中秋 25–27 Sep, 国庆 1–7 Oct; Wednesday 30 Sep is the last working day before, Thursday 8 Oct the first after.
    expect(endOfBusinessDay(cal, local('2026-09-30', '17:50'))).toEqual(local('2026-10-08', '17:30'))
    // Finished on Friday 25 Sep (already 中秋) → Monday 28 Sep closes the call-back.
    expect(endOfBusinessDay(cal, local('2026-09-25', '17:50'))).toEqual(local('2026-09-28', '17:30'))
    // Before closing on a working day: that day.
    expect(endOfBusinessDay(cal, local('2026-09-30', '10:00'))).toEqual(local('2026-09-30', '17:30'))
  })

  it('counts a make-up Saturday (调休) as a working day, with weekday hours', () => {
    expect(isWorkingDay(cal, day('2026-10-10'))).toBe(true)
    expect(workingHoursOn(cal, day('2026-10-10'))).toEqual({ start: '08:30', end: '17:30' })
    expect(isWorkingDay(cal, day('2026-09-20'))).toBe(true) // Sunday make-up day
    expect(isWorkingDay(cal, day('2026-10-17'))).toBe(false) // an ordinary Saturday
    // Friday 9 Oct after hours → the call-back is due on Saturday 10 Oct.
    expect(endOfBusinessDay(cal, local('2026-10-09', '18:00'))).toEqual(local('2026-10-10', '17:30'))
  })

  it('a holiday on a day the tenant usually works is off, also on its Saturday', () => {
    const withSaturday = calendarFor(office)
    expect(isWorkingDay(withSaturday, day('2026-10-03'))).toBe(false)
    expect(isWorkingDay(withSaturday, day('2026-09-26'))).toBe(false)
  })

  it('falls back to the weekly hours outside the years the table covers, and warns once', () => {
    const warnings: string[] = []
    onUncoveredYear((message) => warnings.push(message))
    expect(officialTableCovers(2026)).toBe(true)
    expect(officialTableCovers(2031)).toBe(false)
    // 2031-10-01 is a Wednesday: without data it is an ordinary working day.
    expect(isWorkingDay(cal, day('2031-10-01'))).toBe(true)
    expect(isWorkingDay(cal, day('2031-10-04'))).toBe(false) // Saturday
    expect(isWorkingDay(cal, day('2031-10-02'))).toBe(true)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('2031')
  })
})

describe('business calendar: tenant overrides', () => {
  it('tenant days off and extra working days win over the official table', () => {
    const cal = calendarFor({ ...monToFri, holidays: ['2026-10-10', '2026-11-23'], extraWorkdays: ['2026-10-05', '2026-11-28'] })
    expect(isWorkingDay(cal, day('2026-10-10'))).toBe(false) // official make-up day, but the tenant is off
    expect(isWorkingDay(cal, day('2026-11-23'))).toBe(false) // an ordinary Monday off
    expect(isWorkingDay(cal, day('2026-10-05'))).toBe(true) // in the National Day week, the tenant works
    expect(workingHoursOn(cal, day('2026-11-28'))).toEqual({ start: '08:30', end: '17:30' }) // an extra Saturday
    expect(endOfBusinessDay(cal, local('2026-09-30', '18:00'))).toEqual(local('2026-10-05', '17:30'))
  })

  it('a tenant that opts out of the official table works through the holidays', () => {
    const hotel = calendarFor({ timeZone: 'Asia/Shanghai', businessHours: { days: [1, 2, 3, 4, 5, 6, 7], start: '07:00', end: '23:00' }, holidays: [], officialHolidays: false })
    expect(isWorkingDay(hotel, day('2026-10-01'))).toBe(true)
    expect(endOfBusinessDay(hotel, local('2026-09-30', '23:30'))).toEqual(local('2026-10-01', '23:00'))
    // Without the table a make-up Saturday is just the weekly hours: Mon–Fri tenants stay off.
    expect(isWorkingDay(calendarFor({ ...monToFri, officialHolidays: false }), day('2026-10-10'))).toBe(false)
  })
})

describe('business calendar: deadlines', () => {
  const cal = calendarFor(office)

  it('nextWorkingDayStart: today if not yet open, else the next working day, skipping holidays', () => {
    expect(nextWorkingDayStart(cal, local('2026-11-23', '07:00'))).toEqual(local('2026-11-23', '08:30'))
    expect(nextWorkingDayStart(cal, local('2026-11-23', '09:00'))).toEqual(local('2026-11-24', '08:30'))
    expect(nextWorkingDayStart(cal, local('2026-11-27', '18:00'))).toEqual(local('2026-11-28', '09:00')) // Saturday hours
    expect(nextWorkingDayStart(cal, local('2026-09-30', '12:00'))).toEqual(local('2026-10-08', '08:30'))
  })

  it('addWorkingDays keeps the local time, or closes early on a short day', () => {
    expect(addWorkingDays(cal, local('2026-11-23', '10:15'), 2)).toEqual(local('2026-11-25', '10:15'))
    expect(addWorkingDays(cal, local('2026-11-26', '15:00'), 2)).toEqual(local('2026-11-28', '12:00')) // Saturday closes at noon
    expect(addWorkingDays(cal, local('2026-09-29', '10:00'), 2)).toEqual(local('2026-10-08', '10:00'))
    expect(addWorkingDays(cal, local('2026-11-23', '10:15'), 0)).toEqual(local('2026-11-23', '10:15'))
  })

  it('addBusinessMinutes counts only working hours, across a night and a holiday', () => {
    // Tuesday 17:00 + 60 min: 30 min that evening, 30 the next morning.
    expect(addBusinessMinutes(cal, local('2026-11-24', '17:00'), 60)).toEqual(local('2026-11-25', '09:00'))
    // Wednesday 30 Sep 17:00 + 120 min: 30 before the holiday, the rest on Thursday 8 Oct.
    expect(addBusinessMinutes(cal, local('2026-09-30', '17:00'), 120)).toEqual(local('2026-10-08', '10:00'))
    // Started at night: counting begins at opening.
    expect(addBusinessMinutes(cal, local('2026-11-24', '22:00'), 30)).toEqual(local('2026-11-25', '09:00'))
    // Lands exactly at closing: stays that day.
    expect(addBusinessMinutes(cal, local('2026-11-24', '17:00'), 30)).toEqual(local('2026-11-24', '17:30'))
  })
})
