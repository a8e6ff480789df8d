import { describe, expect, it } from 'vitest'
import { setupTestEnv } from '../support/harness.ts'
import { adminClient, createTenant } from './helpers.ts'

const env = await setupTestEnv()
const admin = adminClient(env)

describe('member aliases in the admin API', () => {
  it('stores the names people @ a member by, replaces them on update, and keeps them when not given', async () => {
    const tenantId = await createTenant(env)
    const body = { platform: 'wecom', externalUserId: 'zhangshifu', name: '张师傅', roles: ['technician'] }
    const created = await admin.post(`/tenants/${tenantId}/members`, { ...body, aliases: [' 老张 ', '张工', '老张'] })
    expect(created.statusCode).toBe(201)
    expect(created.json().aliases).toEqual(['老张', '张工'])

    const renamed = await admin.post(`/tenants/${tenantId}/members`, { ...body, aliases: ['张师'] })
    expect(renamed.json().aliases).toEqual(['张师'])
    const untouched = await admin.post(`/tenants/${tenantId}/members`, { ...body, roles: ['technician', 'supervisor'] })
    expect(untouched.json().aliases).toEqual(['张师'])

    const listed = (await admin.get(`/tenants/${tenantId}/members`)).json()
    expect(listed).toMatchObject([{ name: '张师傅', aliases: ['张师'] }])
    const audit = await env.ctx.prisma.auditLog.findFirstOrThrow({ where: { tenantId, action: 'member.create' } })
    expect(audit.data).toMatchObject({ aliases: ['老张', '张工'] })
  })

  it('refuses aliases that could never be written after @, naming the field', async () => {
    const tenantId = await createTenant(env, '别名物业')
    const body = { platform: 'wecom', externalUserId: 'lishifu', name: '李师傅', roles: ['technician'] }
    for (const aliases of [['老 李'], ['@老李'], [''], '老李']) {
      const response = await admin.post(`/tenants/${tenantId}/members`, { ...body, aliases })
      expect(response.statusCode, JSON.stringify(aliases)).toBe(400)
      expect(JSON.stringify(response.json().fields)).toContain('aliases')
    }
    expect(await env.ctx.prisma.member.count({ where: { tenantId } })).toBe(0)
  })
})
