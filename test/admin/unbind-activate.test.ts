import { describe, expect, it } from 'vitest'
import { membersWithRole } from '../../src/domain/tickets/members.ts'
import { loadConnection } from '../../src/platforms/connections.ts'
import { setupTestEnv } from '../support/harness.ts'
import { adminClient, auditActions, createTenant } from './helpers.ts'

const env = await setupTestEnv()
const admin = adminClient(env)
const prisma = env.ctx.prisma
const tenantId = await createTenant(env, '生命周期物业')
const unknown = '00000000-0000-4000-8000-000000000000'

describe('unbinding a group', () => {
  it('removes the group, keeps its tickets and messages, and records it', async () => {
    const created = await admin.post(`/tenants/${tenantId}/groups`, { platform: 'lark', externalId: 'oc_unbind', name: '维修群', purpose: 'maintenance' })
    const groupId = created.json().id as string
    const reporter = await prisma.member.create({ data: { tenantId, platform: 'lark', externalUserId: 'ou_r', name: '住户' } })
    const ticket = await prisma.ticket.create({
      data: { tenantId, number: 5001, kind: 'repair', priority: 'normal', unit: '1-101', category: '水', description: '漏水', reporterId: reporter.id, groupId },
    })
    const message = await prisma.outgoingMessage.create({
      data: { tenantId, platform: 'lark', groupId, destination: 'oc_unbind', idempotencyKey: 'unbind-1', payload: { text: 'hi' } },
    })

    const response = await admin.delete(`/groups/${groupId}`)
    expect(response.statusCode).toBe(204)
    expect(response.body).toBe('')
    expect(await prisma.chatGroup.findUnique({ where: { id: groupId } })).toBeNull()
    expect((await prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).groupId).toBeNull()
    expect((await prisma.outgoingMessage.findUniqueOrThrow({ where: { id: message.id } })).groupId).toBeNull()
    expect((await admin.get(`/tenants/${tenantId}/groups`)).json()).toEqual([])

    const audit = await prisma.auditLog.findFirstOrThrow({ where: { tenantId, action: 'group.unbind' } })
    expect(audit).toMatchObject({ actor: 'admin-token', target: groupId, data: { platform: 'lark', externalId: 'oc_unbind', name: '维修群', purpose: 'maintenance' } })

    // The same chat can be bound again afterwards.
    const again = await admin.post(`/tenants/${tenantId}/groups`, { platform: 'lark', externalId: 'oc_unbind', name: '维修群', purpose: 'maintenance' })
    expect(again.statusCode).toBe(201)
  })

  it('answers 404 for an unknown or already unbound group', async () => {
    const response = await admin.delete(`/groups/${unknown}`)
    expect(response.statusCode).toBe(404)
    expect(response.json()).toEqual({ error: 'group not found' })
  })
})

describe('deactivating and activating a member', () => {
  it('flips active, stops mentions, and records each real change once', async () => {
    const created = await admin.post(`/tenants/${tenantId}/members`, { platform: 'lark', externalUserId: 'ou_tech', name: '李师傅', roles: ['technician'] })
    const id = created.json().id as string
    const technicians = () => prisma.$transaction((tx) => membersWithRole(tx, tenantId, 'technician'))
    expect((await technicians()).map((m) => m.id)).toEqual([id])

    const off = await admin.post(`/members/${id}/deactivate`)
    expect(off.statusCode).toBe(200)
    expect(off.json()).toMatchObject({ id, active: false, name: '李师傅' })
    expect(await technicians()).toEqual([])
    expect((await admin.post(`/members/${id}/deactivate`)).json().active).toBe(false)

    const on = await admin.post(`/members/${id}/activate`)
    expect(on.statusCode).toBe(200)
    expect(on.json().active).toBe(true)
    expect((await technicians()).map((m) => m.id)).toEqual([id])

    const actions = (await auditActions(env, tenantId)).filter((a) => a === 'member.deactivate' || a === 'member.activate')
    expect(actions).toEqual(['member.deactivate', 'member.activate'])
  })

  it('answers 404 for an unknown member', async () => {
    for (const action of ['deactivate', 'activate']) {
      const response = await admin.post(`/members/${unknown}/${action}`)
      expect(response.statusCode, action).toBe(404)
      expect(response.json()).toEqual({ error: 'member not found' })
    }
  })
})

describe('re-enabling a connection', () => {
  it('clears disabledAt, makes the connection usable at once, and records it', async () => {
    const created = await admin.post(`/tenants/${tenantId}/connections`, {
      platform: 'wecom',
      name: '企业微信机器人',
      credentials: { token: 'tok', encodingAESKey: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456' },
    })
    const id = created.json().id as string
    await admin.post(`/connections/${id}/disable`)
    // Cache the "not found" a webhook would see while it is disabled.
    await expect(loadConnection(env.ctx, id, 'wecom')).rejects.toThrow('connection not found')

    const enabled = await admin.post(`/connections/${id}/enable`)
    expect(enabled.statusCode).toBe(200)
    expect(enabled.json()).toMatchObject({ id, enabled: true, disabledAt: null })
    expect(enabled.body).not.toContain('abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456')
    expect((await loadConnection(env.ctx, id, 'wecom')).connection.enabled).toBe(true)

    // Enabling an enabled connection changes nothing and records nothing.
    expect((await admin.post(`/connections/${id}/enable`)).json().enabled).toBe(true)
    const actions = (await auditActions(env, tenantId)).filter((a) => a.startsWith('connection.'))
    expect(actions).toEqual(['connection.create', 'connection.disable', 'connection.enable'])
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { tenantId, action: 'connection.enable' } })
    expect(audit).toMatchObject({ actor: 'admin-token', target: id })
  })

  it('answers 404 for an unknown connection', async () => {
    const response = await admin.post(`/connections/${unknown}/enable`)
    expect(response.statusCode).toBe(404)
    expect(response.json()).toEqual({ error: 'connection not found' })
  })
})
