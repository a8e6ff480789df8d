import { describe, expect, it } from 'vitest'
import { setupTestEnv } from '../support/harness.ts'
import { adminClient, auditActions } from './helpers.ts'

const env = await setupTestEnv()
const admin = adminClient(env)

describe('tenants', () => {
  it('creates a tenant with Asia/Shanghai by default and lists it', async () => {
    const created = await admin.post('/tenants', { name: '阳光花园物业' })
    expect(created.statusCode).toBe(201)
    const tenant = created.json()
    expect(tenant).toMatchObject({ name: '阳光花园物业', timeZone: 'Asia/Shanghai', demo: false, holidays: [] })
    expect(tenant.businessHours).toEqual({ days: [1, 2, 3, 4, 5, 6, 7], start: '08:30', end: '17:30' })
    // Internal counters and policy stay inside.
    expect(Object.keys(tenant).sort()).toEqual(['bookingAuditTime', 'bookingReminderTime', 'businessHours', 'createdAt', 'demo', 'extraWorkdays', 'holidays', 'id', 'locale', 'name', 'officialHolidays', 'timeZone'])

    const listed = await admin.get('/tenants')
    expect(listed.statusCode).toBe(200)
    expect(listed.json().map((t: { id: string }) => t.id)).toContain(tenant.id)
    expect(await auditActions(env, tenant.id)).toEqual(['tenant.create'])
    const audit = await env.ctx.prisma.auditLog.findFirstOrThrow({ where: { tenantId: tenant.id } })
    expect(audit).toMatchObject({ actor: 'admin-token', action: 'tenant.create', target: tenant.id })
  })

  it('stores business hours, holidays and another time zone', async () => {
    const created = await admin.post('/tenants', {
      name: 'Harbour Hotel',
      timeZone: 'Asia/Hong_Kong',
      businessHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
      holidays: ['2026-10-02', '2026-10-01'],
    })
    expect(created.statusCode).toBe(201)
    expect(created.json()).toMatchObject({
      timeZone: 'Asia/Hong_Kong',
      businessHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
      holidays: ['2026-10-01', '2026-10-02'],
    })
    const fetched = await admin.get(`/tenants/${created.json().id}`)
    expect(fetched.json().name).toBe('Harbour Hotel')
  })

  it('answers 400 naming each bad field', async () => {
    const response = await admin.post('/tenants', {
      name: '',
      timeZone: 'Mars/Olympus',
      businessHours: { days: [8], start: '9am', end: '18:00' },
      holidays: ['2026-02-30'],
      colour: 'blue',
    })
    expect(response.statusCode).toBe(400)
    const body = response.json()
    expect(body.error).toBe('invalid request')
    const fields = body.fields.map((f: { field: string }) => f.field)
    expect(fields).toEqual(expect.arrayContaining(['name', 'timeZone', 'businessHours.days.0', 'businessHours.start', 'holidays.0', 'colour']))
    expect(body.fields.find((f: { field: string }) => f.field === 'timeZone').message).toMatch(/IANA/)
  })

  it('answers 400 for a missing body and for a missing name', async () => {
    const missingName = await admin.post('/tenants', { timeZone: 'Asia/Shanghai' })
    expect(missingName.statusCode).toBe(400)
    expect(missingName.json().fields).toEqual([{ field: 'name', message: expect.any(String) }])
    const noBody = await admin.post('/tenants')
    expect(noBody.statusCode).toBe(400)
  })

  it('answers 404 for an unknown tenant on every tenant route', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000'
    for (const path of ['', '/connections', '/groups', '/members', '/dead-letters', '/audit']) {
      const response = await admin.get(`/tenants/${unknown}${path}`)
      expect(response.statusCode, path).toBe(404)
      expect(response.json()).toEqual({ error: 'tenant not found' })
    }
    const post = await admin.post(`/tenants/${unknown}/binding-codes`, { purpose: 'front_desk' })
    expect(post.statusCode).toBe(404)
    expect(post.json()).toEqual({ error: 'tenant not found' })
  })
})
