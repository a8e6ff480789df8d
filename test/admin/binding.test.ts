import { describe, expect, it } from 'vitest'
import {
  BINDING_CODE_ALPHABET,
  BindingCodeExpired,
  BindingCodeUnknown,
  BindingCodeUsed,
  GroupAlreadyBound,
  redeemBindingCode,
} from '../../src/admin/binding.ts'
import { setupTestEnv } from '../support/harness.ts'
import { adminClient, auditActions, createTenant } from './helpers.ts'

const env = await setupTestEnv()
const admin = adminClient(env)
const tenantId = await createTenant(env)
const otherTenantId = await createTenant(env, '别家物业')

async function newCode(purpose = 'maintenance', forTenant = tenantId): Promise<{ code: string; expiresAt: string }> {
  const response = await admin.post(`/tenants/${forTenant}/binding-codes`, { purpose })
  expect(response.statusCode).toBe(201)
  return response.json()
}

const redeem = (code: string, externalId: string, now = env.clock.now(), connectionId: string | null = null) =>
  redeemBindingCode(env.ctx.prisma, { code, platform: 'lark', connectionId, externalId, name: '维修一组', now })

describe('binding codes', () => {
  it('hands out an easy-to-type code valid for 24 hours', async () => {
    const { code, expiresAt } = await newCode()
    expect(code).toMatch(new RegExp(`^[${BINDING_CODE_ALPHABET}]{6,8}$`))
    expect(code).not.toMatch(/[01OIL]/)
    expect(new Date(expiresAt).getTime() - env.clock.now().getTime()).toBe(24 * 60 * 60_000)
    const bad = await admin.post(`/tenants/${tenantId}/binding-codes`, { purpose: 'kitchen' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().fields[0].field).toBe('purpose')
  })

  it('binds a group once with the code’s purpose, then refuses the used code', async () => {
    const { code } = await newCode('maintenance')
    // People type codes in lower case and with spaces.
    const group = await redeem(` ${code.slice(0, 4).toLowerCase()} ${code.slice(4)}`, 'oc_bind_1')
    expect(group).toMatchObject({ tenantId, platform: 'lark', externalId: 'oc_bind_1', purpose: 'maintenance', name: '维修一组' })
    const stored = await env.ctx.prisma.bindingCode.findUniqueOrThrow({ where: { code } })
    expect(stored.usedAt?.toISOString()).toBe(env.clock.now().toISOString())

    await expect(redeem(code, 'oc_bind_2')).rejects.toBeInstanceOf(BindingCodeUsed)
    expect(await env.ctx.prisma.chatGroup.count({ where: { externalId: 'oc_bind_2' } })).toBe(0)
    expect(await auditActions(env, tenantId)).toContain('group.bind')
  })

  it('refuses an expired code and an unknown one', async () => {
    const { code, expiresAt } = await newCode()
    await expect(redeem(code, 'oc_late', new Date(expiresAt))).rejects.toBeInstanceOf(BindingCodeExpired)
    await expect(redeem('ZZZZZZZZ', 'oc_unknown')).rejects.toBeInstanceOf(BindingCodeUnknown)
    // Still usable just before it expires: an expired attempt does not consume it.
    const group = await redeem(code, 'oc_in_time', new Date(new Date(expiresAt).getTime() - 1000))
    expect(group.externalId).toBe('oc_in_time')
  })

  it('refuses a group that is already bound and leaves the code unused', async () => {
    const { code } = await newCode()
    await admin.post(`/tenants/${tenantId}/groups`, { platform: 'lark', externalId: 'oc_taken', name: 'x', purpose: 'front_desk' })
    const error = await redeem(code, 'oc_taken').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GroupAlreadyBound)
    expect((error as GroupAlreadyBound).hint).toContain('已经绑定')
    const stored = await env.ctx.prisma.bindingCode.findUniqueOrThrow({ where: { code } })
    expect(stored.usedAt).toBeNull()
  })

  it('treats a code from another tenant than the connection’s as unknown', async () => {
    const connection = await admin.post(`/tenants/${tenantId}/connections`, {
      platform: 'lark',
      name: 'app',
      credentials: { appId: 'cli_x', appSecret: 's', verificationToken: 'v' },
    })
    const { code } = await newCode('front_desk', otherTenantId)
    await expect(redeem(code, 'oc_cross', env.clock.now(), connection.json().id)).rejects.toBeInstanceOf(BindingCodeUnknown)
    const ownCode = await newCode('front_desk')
    const group = await redeem(ownCode.code, 'oc_own', env.clock.now(), connection.json().id)
    expect(group.tenantId).toBe(tenantId)
  })

  it('lets exactly one of two racing groups use a code', async () => {
    const { code } = await newCode()
    const results = await Promise.allSettled([redeem(code, 'oc_race_a'), redeem(code, 'oc_race_b')])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult
    expect(failure.reason).toBeInstanceOf(BindingCodeUsed)
  })

  it('audits code creation without storing the whole code', async () => {
    const { code } = await newCode()
    const rows = await env.ctx.prisma.auditLog.findMany({ where: { tenantId, action: 'binding_code.create' } })
    expect(rows.length).toBeGreaterThan(0)
    expect(JSON.stringify(rows)).not.toContain(code)
  })
})
