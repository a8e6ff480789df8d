import { describe, expect, it } from 'vitest'
import { createRepairService } from '../../src/domain/tickets.ts'
import { setupTestEnv } from '../support/harness.ts'
import { adminClient, auditActions, createTenant } from './helpers.ts'

const env = await setupTestEnv()
const admin = adminClient(env)
const unknown = '00000000-0000-4000-8000-000000000000'

const fieldsOf = (body: { fields: { field: string }[] }) => body.fields.map((f) => f.field)

describe('tenant settings', () => {
  it('updates name, time zone, business hours, holidays and policy, and records the change', async () => {
    const tenantId = await createTenant(env, '旧名称物业')
    const response = await admin.patch(`/tenants/${tenantId}`, {
      name: '新名称物业',
      timeZone: 'Asia/Hong_Kong',
      businessHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
      holidays: ['2026-10-02', '2026-10-01', '2026-10-01'],
      policy: { onSiteMinutes: 30, resolveHours: { urgent: 6 } },
    })
    expect(response.statusCode, response.body).toBe(200)
    const tenant = response.json()
    expect(tenant).toMatchObject({
      id: tenantId,
      name: '新名称物业',
      timeZone: 'Asia/Hong_Kong',
      businessHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' },
      holidays: ['2026-10-01', '2026-10-02'],
    })
    // The view is unchanged: the policy has its own route.
    expect(tenant).not.toHaveProperty('policy')

    const row = await env.ctx.prisma.tenant.findUniqueOrThrow({ where: { id: tenantId } })
    expect(row.policy).toEqual({ onSiteMinutes: 30, resolveHours: { urgent: 6 } })

    const policy = (await admin.get(`/tenants/${tenantId}/policy`)).json()
    expect(policy.overrides).toEqual({ onSiteMinutes: 30, resolveHours: { urgent: 6 } })
    expect(policy.defaults.onSiteMinutes).toBe(15)
    expect(policy.effective).toMatchObject({ onSiteMinutes: 30, unassignedAlertMinutes: 5, resolveHours: { urgent: 6, high: 24, normal: 48, low: 72 } })

    expect(await auditActions(env, tenantId)).toEqual(['tenant.create', 'tenant.update'])
    const audit = await env.ctx.prisma.auditLog.findFirstOrThrow({ where: { tenantId, action: 'tenant.update' } })
    expect(audit).toMatchObject({ actor: 'admin-token', target: tenantId })
    expect(audit.data).toMatchObject({ name: '新名称物业', timeZone: 'Asia/Hong_Kong', holidays: ['2026-10-01', '2026-10-02'], policy: { onSiteMinutes: 30 } })
  })

  it('changes only what is sent; a new policy replaces the old overrides', async () => {
    const tenantId = await createTenant(env, '部分修改物业')
    await admin.patch(`/tenants/${tenantId}`, { policy: { onSiteMinutes: 20, repeatThreshold: 4 } })
    const renamed = await admin.patch(`/tenants/${tenantId}`, { name: '改名物业' })
    expect(renamed.json()).toMatchObject({ name: '改名物业', timeZone: 'Asia/Shanghai', holidays: [] })
    expect((await env.ctx.prisma.tenant.findUniqueOrThrow({ where: { id: tenantId } })).policy).toEqual({ onSiteMinutes: 20, repeatThreshold: 4 })

    await admin.patch(`/tenants/${tenantId}`, { policy: { unassignedAlertMinutes: 3 }, holidays: [] })
    const row = await env.ctx.prisma.tenant.findUniqueOrThrow({ where: { id: tenantId } })
    expect(row.policy).toEqual({ unassignedAlertMinutes: 3 })
    expect(row.holidays).toEqual([])
    // Each entry records only what that call changed.
    const audits = await env.ctx.prisma.auditLog.findMany({ where: { tenantId, action: 'tenant.update' } })
    expect(audits.map((a) => Object.keys(a.data as object).sort().join(',')).sort()).toEqual(['holidays,policy', 'name', 'policy'])
  })

  it('refuses a bad policy naming each field, and stores nothing', async () => {
    const tenantId = await createTenant(env, '校验物业')
    const response = await admin.patch(`/tenants/${tenantId}`, {
      name: '不会保存',
      policy: { onSiteMinutes: -5, resolveHours: { urgent: 0 }, resolveWarningRatio: 1.5, onsiteMinutes: 10 },
    })
    expect(response.statusCode).toBe(400)
    expect(response.json().error).toBe('invalid request')
    expect(fieldsOf(response.json())).toEqual(expect.arrayContaining(['policy.onSiteMinutes', 'policy.resolveHours.urgent', 'policy.resolveWarningRatio', 'policy.onsiteMinutes']))

    const wrongType = await admin.patch(`/tenants/${tenantId}`, { policy: { onSiteMinutes: '15' } })
    expect(wrongType.statusCode).toBe(400)
    expect(fieldsOf(wrongType.json())).toEqual(['policy.onSiteMinutes'])

    // The domain's own cross-field rule applies too.
    const months = await admin.patch(`/tenants/${tenantId}`, { policy: { qualityFollowUpFromMonths: 3, qualityFollowUpToMonths: 2 } })
    expect(months.statusCode).toBe(400)
    expect(months.json().fields).toEqual([{ field: 'policy', message: expect.stringContaining('qualityFollowUpFromMonths') }])

    // An unknown priority would otherwise be dropped without a word.
    const priority = await admin.patch(`/tenants/${tenantId}`, { policy: { resolveHours: { medium: 12 } } })
    expect(priority.statusCode).toBe(400)
    expect(priority.json().fields).toEqual([{ field: 'policy.resolveHours.medium', message: 'unknown field' }])

    const row = await env.ctx.prisma.tenant.findUniqueOrThrow({ where: { id: tenantId } })
    expect(row.name).toBe('校验物业')
    expect(row.policy).toEqual({})
    expect(await auditActions(env, tenantId)).toEqual(['tenant.create'])
  })

  it('refuses bad tenant fields and an empty patch', async () => {
    const tenantId = await createTenant(env, '字段物业')
    const response = await admin.patch(`/tenants/${tenantId}`, {
      name: ' ',
      timeZone: '+08:00',
      businessHours: { days: [1], start: '18:00', end: '09:00' },
      holidays: ['2026-13-01'],
      demo: true,
    })
    expect(response.statusCode).toBe(400)
    expect(fieldsOf(response.json())).toEqual(expect.arrayContaining(['name', 'timeZone', 'businessHours.end', 'holidays.0', 'demo']))
    const empty = await admin.patch(`/tenants/${tenantId}`, {})
    expect(empty.statusCode).toBe(400)
    expect(empty.json().fields).toEqual([{ field: 'body', message: 'names nothing to change' }])
  })

  it('answers 404 for an unknown tenant', async () => {
    const patch = await admin.patch(`/tenants/${unknown}`, { name: 'x' })
    expect(patch.statusCode).toBe(404)
    expect(patch.json()).toEqual({ error: 'tenant not found' })
    expect((await admin.get(`/tenants/${unknown}/policy`)).statusCode).toBe(404)
  })

  it('the domain follows the new policy: respondBy and resolveBy of the next repair', async () => {
    const tenantId = await createTenant(env, '策略物业')
    const reporter = await admin.post(`/tenants/${tenantId}/members`, { platform: 'lark', externalUserId: 'ou_resident', name: '王先生', roles: ['customer'] })
    const reporterId = reporter.json().id as string
    const repairs = createRepairService({ prisma: env.ctx.prisma, clock: env.clock })
    const urgentLeak = () => repairs.createRepair({ tenantId, reporterId, unit: '3-2-501', description: '厨房水管漏水', priority: 'urgent' })
    const minutesAfterNow = (at: Date | null) => (at!.getTime() - env.clock.now().getTime()) / 60_000

    const before = (await urgentLeak()).ticket
    expect(minutesAfterNow(before.respondBy)).toBe(15)

    const patched = await admin.patch(`/tenants/${tenantId}`, { policy: { onSiteMinutes: 45, resolveHours: { urgent: 2 } } })
    expect(patched.statusCode).toBe(200)
    const after = await urgentLeak()
    expect(minutesAfterNow(after.ticket.respondBy)).toBe(45)
    expect(minutesAfterNow(after.ticket.resolveBy)).toBe(120)
    expect(after.reminders.scheduled.find((r) => r.kind === 'repair.onsite_escalation')?.dueAt).toEqual(after.ticket.respondBy)
  })
})
