import { describe, expect, it } from 'vitest'
import { setupTestEnv } from '../support/harness.ts'
import { adminClient, auditActions, createTenant } from './helpers.ts'

const env = await setupTestEnv()
const admin = adminClient(env)
const tenantId = await createTenant(env, '甲物业')
const otherTenantId = await createTenant(env, '乙物业')

const pushKey = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa'
const pushUrl = `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${pushKey}`

async function wecomConnection(forTenant: string): Promise<string> {
  const response = await admin.post(`/tenants/${forTenant}/connections`, {
    platform: 'wecom',
    name: 'bot',
    credentials: { token: 'tok', encodingAESKey: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456' },
  })
  return response.json().id
}

describe('chat groups', () => {
  it('binds a WeCom group with a push key given as a full webhook URL, and never returns the key', async () => {
    const connectionId = await wecomConnection(tenantId)
    const response = await admin.post(`/tenants/${tenantId}/groups`, {
      platform: 'wecom',
      connectionId,
      externalId: 'wrOgAAAA-front',
      name: '前台群',
      purpose: 'front_desk',
      pushKey: pushUrl,
      summaryTime: '17:45',
    })
    expect(response.statusCode).toBe(201)
    const group = response.json()
    expect(group).toMatchObject({ platform: 'wecom', connectionId, externalId: 'wrOgAAAA-front', purpose: 'front_desk', hasPushKey: true, summaryTime: '17:45', summaryEnabled: true })
    expect(group).not.toHaveProperty('pushKey')
    expect(response.body).not.toContain(pushKey)

    // Stored sealed; opening it yields only the key, not the URL.
    const row = await env.ctx.prisma.chatGroup.findUniqueOrThrow({ where: { id: group.id } })
    expect(row.pushKey).not.toContain(pushKey)
    expect(env.ctx.secrets.open(row.pushKey!)).toBe(pushKey)

    const listed = await admin.get(`/tenants/${tenantId}/groups`)
    expect(listed.statusCode).toBe(200)
    expect(listed.body).not.toContain(pushKey)
    expect(listed.json()[0]).toMatchObject({ id: group.id, purpose: 'front_desk', hasPushKey: true, lastInboundAt: null, lastOutboundAt: null })
  })

  it('refuses to bind the same chat twice, in any tenant, with 409', async () => {
    const body = { platform: 'lark', externalId: 'oc_duplicate', name: '维修群', purpose: 'maintenance' }
    expect((await admin.post(`/tenants/${tenantId}/groups`, body)).statusCode).toBe(201)
    const again = await admin.post(`/tenants/${tenantId}/groups`, body)
    expect(again.statusCode).toBe(409)
    expect(again.json().error).toBe('the lark group oc_duplicate is already bound')
    const elsewhere = await admin.post(`/tenants/${otherTenantId}/groups`, body)
    expect(elsewhere.statusCode).toBe(409)
    // The same chat id on another platform is another chat.
    expect((await admin.post(`/tenants/${tenantId}/groups`, { ...body, platform: 'console' })).statusCode).toBe(201)
  })

  it('rejects another tenant’s connection, a platform mismatch, and push keys outside WeCom', async () => {
    const foreign = await wecomConnection(otherTenantId)
    const wrongTenant = await admin.post(`/tenants/${tenantId}/groups`, { platform: 'wecom', connectionId: foreign, externalId: 'x1', name: 'g', purpose: 'management' })
    expect(wrongTenant.statusCode).toBe(400)
    expect(wrongTenant.json().fields).toEqual([{ field: 'connectionId', message: 'no such connection for this tenant' }])

    const own = await wecomConnection(tenantId)
    const mismatch = await admin.post(`/tenants/${tenantId}/groups`, { platform: 'lark', connectionId: own, externalId: 'x2', name: 'g', purpose: 'management' })
    expect(mismatch.statusCode).toBe(400)

    const larkPush = await admin.post(`/tenants/${tenantId}/groups`, { platform: 'lark', externalId: 'x3', name: 'g', purpose: 'management', pushKey })
    expect(larkPush.json().fields[0].field).toBe('pushKey')

    const badUrl = await admin.post(`/tenants/${tenantId}/groups`, { platform: 'wecom', externalId: 'x4', name: 'g', purpose: 'management', pushKey: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send' })
    expect(badUrl.statusCode).toBe(400)
    expect(badUrl.json().fields[0]).toEqual({ field: 'pushKey', message: 'the webhook URL has no ?key= parameter' })

    const badPurpose = await admin.post(`/tenants/${tenantId}/groups`, { platform: 'wecom', externalId: 'x5', name: 'g', purpose: 'sales', summaryTime: '25:00' })
    expect(badPurpose.json().fields.map((f: { field: string }) => f.field)).toEqual(['purpose', 'summaryTime'])
    expect(await env.ctx.prisma.chatGroup.count({ where: { externalId: { in: ['x1', 'x2', 'x3', 'x4', 'x5'] } } })).toBe(0)
  })

  it('updates purpose, summary settings and the push key', async () => {
    const created = await admin.post(`/tenants/${tenantId}/groups`, { platform: 'wecom', externalId: 'wr-patch', name: '客服群', purpose: 'customer_service' })
    const id = created.json().id
    expect(created.json().hasPushKey).toBe(false)

    const patched = await admin.patch(`/groups/${id}`, { purpose: 'management', summaryTime: '08:00', summaryEnabled: false, pushKey })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({ purpose: 'management', summaryTime: '08:00', summaryEnabled: false, hasPushKey: true })
    expect(patched.body).not.toContain(pushKey)

    const cleared = await admin.patch(`/groups/${id}`, { pushKey: null })
    expect(cleared.json().hasPushKey).toBe(false)

    expect((await admin.patch(`/groups/${id}`, {})).statusCode).toBe(400)
    expect((await admin.patch('/groups/00000000-0000-4000-8000-000000000000', { purpose: 'management' })).statusCode).toBe(404)

    const audits = await env.ctx.prisma.auditLog.findMany({ where: { tenantId, action: 'group.update', target: id }, orderBy: { at: 'asc' } })
    expect(audits.map((a) => a.data)).toEqual([
      { purpose: 'management', summaryTime: '08:00', summaryEnabled: false, pushKey: 'replaced' },
      { pushKey: 'removed' },
    ])
    expect(JSON.stringify(await env.ctx.prisma.auditLog.findMany())).not.toContain(pushKey)
  })

  it('keeps each tenant’s groups to itself and audits every bind', async () => {
    const mine = (await admin.get(`/tenants/${tenantId}/groups`)).json()
    const theirs = (await admin.get(`/tenants/${otherTenantId}/groups`)).json()
    expect(theirs).toEqual([])
    expect(mine.length).toBe(4)
    const actions = await auditActions(env, tenantId)
    expect(actions.filter((a) => a === 'group.create')).toHaveLength(4)
  })
})
