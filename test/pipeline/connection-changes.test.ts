// Webhooks keep connections in memory; another process's admin changes only the row. These tests
// change the row directly (as that other process would, with no in-process cache drop) and check
// that the very next delivery here sees it.
import { describe, expect, it } from 'vitest'
import { setupTestEnv } from '../support/harness.ts'
import { createLarkSetup, larkCredentials, larkMessageEvent, signedLarkRequest } from '../support/pipeline.ts'

const env = await setupTestEnv()
const prisma = env.ctx.prisma

const storedCount = (connectionId: string) => prisma.inboundEvent.count({ where: { connectionId } })

describe('a connection changed by another process', () => {
  it('disabled: the next delivery is refused with 404 and nothing is stored', async () => {
    const setup = await createLarkSetup(env)
    const first = await env.app.inject(signedLarkRequest(setup.connection.id, larkMessageEvent({ chatId: setup.chatId, text: '帮助' })))
    expect(first.statusCode).toBe(200)
    expect(await storedCount(setup.connection.id)).toBe(1)

    await prisma.platformConnection.update({ where: { id: setup.connection.id }, data: { enabled: false, disabledAt: new Date() } })
    const afterDisable = await env.app.inject(signedLarkRequest(setup.connection.id, larkMessageEvent({ chatId: setup.chatId, text: '待办' })))
    expect(afterDisable.statusCode).toBe(404)
    expect(await storedCount(setup.connection.id)).toBe(1)
  })

  it('disabled: a delivery that stores nothing (a challenge) is refused too', async () => {
    const setup = await createLarkSetup(env)
    expect((await env.app.inject(signedLarkRequest(setup.connection.id, larkMessageEvent({ chatId: setup.chatId, text: '帮助' })))).statusCode).toBe(200)
    await prisma.platformConnection.update({ where: { id: setup.connection.id }, data: { enabled: false } })
    const challenge = { challenge: 'c-1', token: larkCredentials.verificationToken, type: 'url_verification' }
    const response = await env.app.inject({ method: 'POST', url: `/webhooks/lark/${setup.connection.id}`, payload: challenge })
    expect(response.statusCode).toBe(404)
  })

  it('credentials rotated: the first delivery signed with the new key is stored, the old key is refused', async () => {
    const setup = await createLarkSetup(env)
    expect((await env.app.inject(signedLarkRequest(setup.connection.id, larkMessageEvent({ chatId: setup.chatId, text: '帮助' })))).statusCode).toBe(200)

    const rotated = { ...larkCredentials, encryptKey: 'rotated-encrypt-key' }
    await prisma.platformConnection.update({ where: { id: setup.connection.id }, data: { credentials: env.ctx.secrets.sealJson(rotated) } })
    const withNewKey = await env.app.inject(signedLarkRequest(setup.connection.id, larkMessageEvent({ chatId: setup.chatId, text: '待办' }), { encryptKey: rotated.encryptKey }))
    expect(withNewKey.statusCode).toBe(200)
    expect(await storedCount(setup.connection.id)).toBe(2)

    const withOldKey = await env.app.inject(signedLarkRequest(setup.connection.id, larkMessageEvent({ chatId: setup.chatId, text: '我的工单' })))
    expect(withOldKey.statusCode).toBe(401)
    expect(await storedCount(setup.connection.id)).toBe(2)
  })

  it('a redelivery to an unchanged connection is still answered 200 and stored once', async () => {
    const setup = await createLarkSetup(env)
    const event = larkMessageEvent({ chatId: setup.chatId, text: '帮助' })
    for (let i = 0; i < 3; i++) expect((await env.app.inject(signedLarkRequest(setup.connection.id, event))).statusCode).toBe(200)
    expect(await storedCount(setup.connection.id)).toBe(1)
  })

  it('re-enabled: deliveries are taken again', async () => {
    const setup = await createLarkSetup(env)
    await prisma.platformConnection.update({ where: { id: setup.connection.id }, data: { enabled: false } })
    expect((await env.app.inject(signedLarkRequest(setup.connection.id, larkMessageEvent({ chatId: setup.chatId, text: '帮助' })))).statusCode).toBe(404)
    await prisma.platformConnection.update({ where: { id: setup.connection.id }, data: { enabled: true, disabledAt: null } })
    // A refused id is remembered briefly (MISSING_CONNECTION_CACHE_MS); the admin API drops it in its own process.
    const { forgetConnection } = await import('../../src/platforms/connections.ts')
    forgetConnection(env.ctx, setup.connection.id)
    expect((await env.app.inject(signedLarkRequest(setup.connection.id, larkMessageEvent({ chatId: setup.chatId, text: '帮助' })))).statusCode).toBe(200)
  })
})
