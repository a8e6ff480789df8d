import { describe, expect, it } from 'vitest'
import type { LarkCredentials, WecomCredentials } from '../../src/platforms/credentials.ts'
import { setupTestEnv } from '../support/harness.ts'
import { adminClient, auditActions, createTenant } from './helpers.ts'

const env = await setupTestEnv()
const admin = adminClient(env)
const tenantId = await createTenant(env)

const larkSecret = 'lark-app-secret-SHOULD-NEVER-LEAK-7f3a'
const larkToken = 'lark-verification-token-NEVER-LEAK-19c'
const larkEncryptKey = 'lark-encrypt-key-NEVER-LEAK-55d'
const wecomAesKey = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456'
const wecomBotSecret = 'wecom-bot-secret-NEVER-LEAK-a1b2'

const larkInput = { appId: 'cli_a1b2c3d4', appSecret: larkSecret, verificationToken: larkToken, encryptKey: larkEncryptKey }

describe('platform connections', () => {
  it('creates a Lark connection: exact webhook URL, instructions, and no secret anywhere in the answer', async () => {
    const response = await admin.post(`/tenants/${tenantId}/connections`, { platform: 'lark', name: '飞书应用', credentials: larkInput })
    expect(response.statusCode).toBe(201)
    const body = response.json()
    expect(body).toMatchObject({ platform: 'lark', name: '飞书应用', mode: 'webhook', enabled: true, appId: 'cli_a1b2c3d4' })
    expect(body.webhookUrl).toBe(`https://frontdesk.example.com/webhooks/lark/${body.id}`)
    expect(body.instructions).toContain(body.webhookUrl)
    expect(body.instructions).toContain('飞书开放平台')
    for (const secret of [larkSecret, larkToken, larkEncryptKey]) expect(response.body).not.toContain(secret)
    expect(body).not.toHaveProperty('credentials')

    // The column holds an envelope, never the clear text, and it opens to exactly what was entered.
    const row = await env.ctx.prisma.platformConnection.findUniqueOrThrow({ where: { id: body.id } })
    for (const secret of [larkSecret, larkToken, larkEncryptKey]) expect(row.credentials).not.toContain(secret)
    expect(row.credentials.startsWith('v1.')).toBe(true)
    expect(env.ctx.secrets.openJson<LarkCredentials>(row.credentials)).toEqual({ ...larkInput, domain: 'feishu' })
    expect(row.appId).toBe('cli_a1b2c3d4')
  })

  it('creates a WeCom connection with its own webhook URL and stores the bot id in clear', async () => {
    const credentials = { token: 'wecomToken1', encodingAESKey: wecomAesKey, botId: 'aibot-001', botSecret: wecomBotSecret }
    const response = await admin.post(`/tenants/${tenantId}/connections`, { platform: 'wecom', name: '企业微信机器人', mode: 'webhook', credentials })
    expect(response.statusCode).toBe(201)
    const body = response.json()
    expect(body.webhookUrl).toBe(`https://frontdesk.example.com/webhooks/wecom/${body.id}`)
    expect(body.appId).toBe('aibot-001')
    expect(body.instructions).toContain('企业微信')
    for (const secret of [wecomAesKey, wecomBotSecret, 'wecomToken1']) expect(response.body).not.toContain(secret)
    const row = await env.ctx.prisma.platformConnection.findUniqueOrThrow({ where: { id: body.id } })
    expect(row.credentials).not.toContain(wecomBotSecret)
    expect(row.credentials).not.toContain(wecomAesKey)
    expect(env.ctx.secrets.openJson<WecomCredentials>(row.credentials)).toEqual({ ...credentials, receiveId: '' })
  })

  it('checks credentials against the schema of the chosen platform', async () => {
    const wrongShape = await admin.post(`/tenants/${tenantId}/connections`, {
      platform: 'wecom',
      name: 'x',
      credentials: { token: 'tok', encodingAESKey: 'too-short' },
    })
    expect(wrongShape.statusCode).toBe(400)
    expect(wrongShape.json().fields.map((f: { field: string }) => f.field)).toContain('credentials.encodingAESKey')

    const longWithoutBot = await admin.post(`/tenants/${tenantId}/connections`, {
      platform: 'wecom',
      name: 'x',
      mode: 'long_connection',
      credentials: { token: 'tok', encodingAESKey: wecomAesKey },
    })
    expect(longWithoutBot.statusCode).toBe(400)
    expect(longWithoutBot.json().fields.map((f: { field: string }) => f.field)).toEqual(['credentials.botId', 'credentials.botSecret'])

    const badPlatform = await admin.post(`/tenants/${tenantId}/connections`, { platform: 'slack', name: 'x', credentials: {} })
    expect(badPlatform.statusCode).toBe(400)
    expect(badPlatform.json().fields[0].field).toBe('platform')
    // A rejected body must not echo what was sent, secrets included.
    const leaky = await admin.post(`/tenants/${tenantId}/connections`, { platform: 'lark', name: '', credentials: { ...larkInput } })
    expect(leaky.statusCode).toBe(400)
    expect(leaky.body).not.toContain(larkSecret)
  })

  it('lists connections without credentials', async () => {
    const response = await admin.get(`/tenants/${tenantId}/connections`)
    expect(response.statusCode).toBe(200)
    const list = response.json()
    expect(list.length).toBeGreaterThanOrEqual(2)
    for (const connection of list) {
      expect(connection).not.toHaveProperty('credentials')
      expect(connection.webhookUrl).toBe(`https://frontdesk.example.com/webhooks/${connection.platform}/${connection.id}`)
    }
    for (const secret of [larkSecret, larkToken, larkEncryptKey, wecomAesKey, wecomBotSecret]) expect(response.body).not.toContain(secret)
  })

  it('disables a connection once and records it', async () => {
    const created = await admin.post(`/tenants/${tenantId}/connections`, { platform: 'lark', name: '旧应用', credentials: larkInput })
    const id = created.json().id
    const disabled = await admin.post(`/connections/${id}/disable`)
    expect(disabled.statusCode).toBe(200)
    expect(disabled.json()).toMatchObject({ id, enabled: false, disabledAt: env.clock.now().toISOString() })
    env.clock.advance(60_000)
    const again = await admin.post(`/connections/${id}/disable`)
    expect(again.json().disabledAt).toBe(disabled.json().disabledAt)
    expect((await admin.post('/connections/00000000-0000-4000-8000-000000000000/disable')).statusCode).toBe(404)

    const actions = await auditActions(env, tenantId)
    expect(actions.filter((a) => a === 'connection.create')).toHaveLength(3)
    expect(actions.filter((a) => a === 'connection.disable')).toHaveLength(1)
    const rows = await env.ctx.prisma.auditLog.findMany({ where: { tenantId } })
    for (const secret of [larkSecret, larkToken, larkEncryptKey, wecomAesKey, wecomBotSecret]) expect(JSON.stringify(rows)).not.toContain(secret)
  })
})
