import { describe, expect, it } from 'vitest'
import { maskDestination } from '../../src/admin/views.ts'
import { setupTestEnv } from '../support/harness.ts'
import { adminClient, createTenant } from './helpers.ts'

const env = await setupTestEnv()
const admin = adminClient(env)
const tenantId = await createTenant(env)

describe('members', () => {
  it('creates the first admin, then updates the same person instead of duplicating', async () => {
    const first = await admin.post(`/tenants/${tenantId}/members`, { platform: 'lark', externalUserId: 'ou_boss', name: '赵经理', roles: ['admin'] })
    expect(first.statusCode).toBe(201)
    expect(first.json()).toMatchObject({ platform: 'lark', externalUserId: 'ou_boss', name: '赵经理', roles: ['admin'], phone: null, active: true })

    const again = await admin.post(`/tenants/${tenantId}/members`, {
      platform: 'lark',
      externalUserId: 'ou_boss',
      name: '赵总',
      roles: ['admin', 'supervisor', 'admin'],
      phone: '13912345678',
    })
    expect(again.statusCode).toBe(200)
    expect(again.json()).toMatchObject({ id: first.json().id, name: '赵总', roles: ['admin', 'supervisor'], phone: '13912345678' })

    const listed = (await admin.get(`/tenants/${tenantId}/members`)).json()
    expect(listed).toHaveLength(1)

    const audits = await env.ctx.prisma.auditLog.findMany({ where: { tenantId, action: { startsWith: 'member.' } }, orderBy: { at: 'asc' } })
    expect(audits.map((a) => a.action)).toEqual(['member.create', 'member.update'])
    expect(JSON.stringify(audits)).not.toContain('13912345678')
  })

  it('names bad fields: unknown role, empty roles, bad phone', async () => {
    const response = await admin.post(`/tenants/${tenantId}/members`, { platform: 'lark', externalUserId: 'ou_x', name: 'x', roles: ['boss'], phone: 'call me' })
    expect(response.statusCode).toBe(400)
    expect(response.json().fields.map((f: { field: string }) => f.field)).toEqual(['roles.0', 'phone'])
    const empty = await admin.post(`/tenants/${tenantId}/members`, { platform: 'lark', externalUserId: 'ou_x', name: 'x', roles: [] })
    expect(empty.json().fields).toEqual([{ field: 'roles', message: 'needs at least one role' }])
  })
})

describe('dead letters', () => {
  it('lists only dead letters, newest first, with destinations masked and keys redacted', async () => {
    const base = { tenantId, platform: 'wecom' as const, payload: { text: 'hi' } }
    await env.ctx.prisma.outgoingMessage.createMany({
      data: [
        { ...base, destination: 'wrOgQhDgAAAAfront-desk-chat', idempotencyKey: 'k1', status: 'dead', deadLetter: true, attempts: 8, lastError: 'POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY123 failed: 45009', createdAt: new Date('2026-11-23T01:00:00Z') },
        { ...base, destination: 'https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=ONEUSECODE', idempotencyKey: 'k2', status: 'dead', deadLetter: true, attempts: 3, lastError: 'expired', createdAt: new Date('2026-11-23T01:30:00Z') },
        { ...base, destination: 'wr-delivered', idempotencyKey: 'k3', status: 'delivered' },
      ],
    })
    const response = await admin.get(`/tenants/${tenantId}/dead-letters`)
    expect(response.statusCode).toBe(200)
    const rows = response.json()
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatchObject({ destination: 'https://qyapi.weixin.qq.com/cgi-bin/aibot/response?…', attempts: 3, lastError: 'expired' })
    expect(rows[1]).toMatchObject({ destination: 'wrOg…chat', attempts: 8, createdAt: '2026-11-23T01:00:00.000Z' })
    expect(Object.keys(rows[1]).sort()).toEqual(['attempts', 'createdAt', 'destination', 'groupId', 'id', 'lastError', 'platform'])
    expect(response.body).not.toContain('SECRETKEY123')
    expect(response.body).not.toContain('ONEUSECODE')
    expect(maskDestination('oc_1')).toBe('oc…')
  })
})

describe('audit log', () => {
  it('returns recent entries for the tenant, newest first, and honours limit', async () => {
    await admin.post(`/tenants/${tenantId}/groups`, { platform: 'lark', externalId: 'oc_audit', name: '管理群', purpose: 'management' })
    env.clock.advance(1000)
    await admin.post(`/tenants/${tenantId}/binding-codes`, { purpose: 'front_desk' })
    const response = await admin.get(`/tenants/${tenantId}/audit`)
    expect(response.statusCode).toBe(200)
    const entries = response.json()
    expect(entries.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['tenant.create', 'member.create', 'member.update', 'group.create', 'binding_code.create']),
    )
    expect(entries[0]).toMatchObject({ actor: 'admin-token', action: 'binding_code.create' })
    expect((await admin.get(`/tenants/${tenantId}/audit?limit=2`)).json()).toHaveLength(2)
    expect((await admin.get(`/tenants/${tenantId}/audit?limit=0`)).statusCode).toBe(400)
  })
})
