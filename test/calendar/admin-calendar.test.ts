import { describe, expect, it } from 'vitest'
import { calendarFor, endOfBusinessDay, isWorkingDay } from '../../src/domain/calendar/index.ts'
import { setupTestEnv } from '../support/harness.ts'
import { adminClient, createTenant } from '../admin/helpers.ts'

const env = await setupTestEnv()
const admin = adminClient(env)
const fieldsOf = (body: { fields: { field: string }[] }) => body.fields.map((f) => f.field)

describe('tenant calendar in the admin API', () => {
  it('stores hours per weekday, extra working days and the official-table switch, and the domain follows them', async () => {
    const tenantId = await createTenant(env, '日历物业')
    const response = await admin.patch(`/tenants/${tenantId}`, {
      businessHours: [
        { days: [1, 2, 3, 4, 5], start: '08:30', end: '17:30' },
        { days: [6], start: '09:00', end: '12:00' },
      ],
      holidays: ['2026-10-09'],
      extraWorkdays: ['2026-10-05', '2026-10-05'],
      officialHolidays: true,
    })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toMatchObject({ extraWorkdays: ['2026-10-05'], officialHolidays: true, holidays: ['2026-10-09'] })

    const row = await env.ctx.prisma.tenant.findUniqueOrThrow({ where: { id: tenantId } })
    const cal = calendarFor(row)
    expect(isWorkingDay(cal, { year: 2026, month: 10, day: 5 })).toBe(true) // the tenant's own working day in 国庆
    expect(isWorkingDay(cal, { year: 2026, month: 10, day: 9 })).toBe(false)
    // Saturday 10 Oct is an official make-up day: full weekday hours, not the Saturday morning.
    expect(endOfBusinessDay(cal, new Date('2026-10-10T10:00:00+08:00'))).toEqual(new Date('2026-10-10T17:30:00+08:00'))

    const hotel = await admin.patch(`/tenants/${tenantId}`, { officialHolidays: false })
    expect(hotel.json()).toMatchObject({ officialHolidays: false })
  })

  it('explains what is wrong with a calendar, field by field', async () => {
    const tenantId = await createTenant(env, '错误日历物业')
    const overlap = await admin.patch(`/tenants/${tenantId}`, {
      businessHours: [
        { days: [1, 2], start: '08:30', end: '17:30' },
        { days: [2], start: '09:00', end: '12:00' },
      ],
    })
    expect(overlap.statusCode).toBe(400)
    expect(JSON.stringify(overlap.json())).toContain('businessHours')

    const both = await admin.patch(`/tenants/${tenantId}`, { holidays: ['2026-10-05'], extraWorkdays: ['2026-10-05'] })
    expect(both.statusCode).toBe(400)
    expect(fieldsOf(both.json())).toContain('extraWorkdays')
    expect(JSON.stringify(both.json())).toContain('both a holiday and an extra working day')

    const badDate = await admin.patch(`/tenants/${tenantId}`, { extraWorkdays: ['2026-02-30'] })
    expect(badDate.statusCode).toBe(400)
    expect(fieldsOf(badDate.json())).toContain('extraWorkdays.0')

    const notBoolean = await admin.patch(`/tenants/${tenantId}`, { officialHolidays: 'yes' })
    expect(notBoolean.statusCode).toBe(400)
    expect(fieldsOf(notBoolean.json())).toContain('officialHolidays')
  })
})
