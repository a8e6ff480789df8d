import { afterAll, describe, expect, it } from 'vitest'
import { encryptLarkEvent } from '../../src/platforms/lark/crypto.ts'
import { startFakeLark } from '../support/fake-lark.ts'
import { setupTestEnv } from '../support/harness.ts'
import { createLarkSetup, larkCredentials, larkMessageEvent, recordingHandler, signedLarkRequest, startTestWorkers } from '../support/pipeline.ts'
import { sleep, waitFor } from '../support/wait.ts'

const lark = await startFakeLark({ appId: larkCredentials.appId, appSecret: larkCredentials.appSecret })
afterAll(() => lark.close())
const env = await setupTestEnv({ LARK_API_BASE_URL: lark.url })
const { handler, calls } = recordingHandler()
startTestWorkers(env, { handleChat: handler })
const setup = await createLarkSetup(env)

describe('Lark webhook', () => {
  it('answers url_verification, plain and encrypted', async () => {
    const challenge = { challenge: 'ajls384kdjx', token: larkCredentials.verificationToken, type: 'url_verification' }
    const plain = await env.app.inject({ method: 'POST', url: `/webhooks/lark/${setup.connection.id}`, payload: challenge })
    expect(plain.json()).toEqual({ challenge: 'ajls384kdjx' })
    const encrypted = await env.app.inject({
      method: 'POST',
      url: `/webhooks/lark/${setup.connection.id}`,
      payload: { encrypt: encryptLarkEvent(JSON.stringify(challenge), larkCredentials.encryptKey) },
    })
    expect(encrypted.statusCode).toBe(200)
    expect(encrypted.json()).toEqual({ challenge: 'ajls384kdjx' })
  })

  it('runs a command delivered three times once, and replies once in its thread', async () => {
    const event = larkMessageEvent({ chatId: setup.chatId, text: '帮助', messageId: 'om_three_times' })
    for (let i = 0; i < 3; i++) {
      const response = await env.app.inject(signedLarkRequest(setup.connection.id, event))
      expect(response.statusCode).toBe(200)
    }
    const reply = await waitFor(() => lark.messages.find((m) => m.replyTo === 'om_three_times'), { what: 'the reply' })
    expect(reply.content.text).toContain('收到：帮助')
    await sleep(500)
    expect(lark.messages.filter((m) => m.replyTo === 'om_three_times')).toHaveLength(1)
    expect(calls.filter((c) => c.message.messageId === 'om_three_times')).toHaveLength(1)
    expect(calls.at(-1)).toMatchObject({ tenantId: setup.tenant.id, group: { id: setup.group!.id }, message: { text: '帮助', chatType: 'group' } })
  })

  it('remembers a delivered event after a Redis flush: the redelivery is still a duplicate', async () => {
    const event = larkMessageEvent({ chatId: setup.chatId, text: '待办', messageId: 'om_after_flush' })
    await env.app.inject(signedLarkRequest(setup.connection.id, event))
    await waitFor(() => lark.messages.find((m) => m.replyTo === 'om_after_flush'))
    const keys = await env.ctx.redis.keys(`${env.prefix}:*`)
    if (keys.length) await env.ctx.redis.del(...keys)
    await env.app.inject(signedLarkRequest(setup.connection.id, event))
    await sleep(800)
    expect(calls.filter((c) => c.message.messageId === 'om_after_flush')).toHaveLength(1)
  })

  it('acknowledges other event types without running anything', async () => {
    const before = calls.length
    const event = { schema: '2.0', header: { event_id: 'evt-other', event_type: 'im.chat.member.bot.added_v1', token: larkCredentials.verificationToken }, event: {} }
    const response = await env.app.inject(signedLarkRequest(setup.connection.id, event))
    expect(response.statusCode).toBe(200)
    await sleep(300)
    expect(calls.length).toBe(before)
  })

  describe('refuses what Lark did not send, without detail and without running anything', () => {
    const event = () => larkMessageEvent({ chatId: setup.chatId, text: '帮助' })

    it('a bad signature → 401', async () => {
      const request = signedLarkRequest(setup.connection.id, event(), { signWith: 'someone-else' })
      const response = await env.app.inject(request)
      expect(response.statusCode).toBe(401)
      expect(response.json()).toEqual({})
    })

    it('a stale timestamp → 401', async () => {
      const response = await env.app.inject(signedLarkRequest(setup.connection.id, event(), { timestamp: Math.floor(Date.now() / 1000) - 3600 }))
      expect(response.statusCode).toBe(401)
    })

    it('a wrong verification token → 401', async () => {
      const response = await env.app.inject(signedLarkRequest(setup.connection.id, larkMessageEvent({ chatId: setup.chatId, text: 'x', token: 'not-ours' })))
      expect(response.statusCode).toBe(401)
    })

    it('a truncated ciphertext → 400', async () => {
      const good = signedLarkRequest(setup.connection.id, event())
      const body = JSON.parse(good.payload.toString()) as { encrypt: string }
      const truncated = { ...body, encrypt: body.encrypt.slice(0, 40) }
      const request = signedLarkRequest(setup.connection.id, truncated, { encrypt: false })
      const response = await env.app.inject(request)
      expect(response.statusCode).toBe(400)
      expect(response.json()).toEqual({ error: 'bad request' })
    })

    it('malformed JSON → 400, unknown connection → 404, oversized body → 413', async () => {
      const malformed = await env.app.inject({ method: 'POST', url: `/webhooks/lark/${setup.connection.id}`, payload: '{"encrypt": ', headers: { 'content-type': 'application/json' } })
      expect(malformed.statusCode).toBe(400)
      const unknown = await env.app.inject(signedLarkRequest('00000000-0000-0000-0000-000000000000', event()))
      expect(unknown.statusCode).toBe(404)
      const huge = await env.app.inject({ method: 'POST', url: `/webhooks/lark/${setup.connection.id}`, payload: 'x'.repeat(600 * 1024), headers: { 'content-type': 'application/json' } })
      expect(huge.statusCode).toBe(413)
    })

    it('and none of them reached the command layer', async () => {
      await sleep(300)
      expect(calls.every((c) => ['帮助', '待办'].includes(c.message.text))).toBe(true)
      expect(calls).toHaveLength(2)
    })
  })

  it('a disabled connection stops receiving at once: 404', async () => {
    await env.ctx.prisma.platformConnection.update({ where: { id: setup.connection.id }, data: { enabled: false } })
    const { forgetConnection } = await import('../../src/platforms/connections.ts')
    forgetConnection(env.ctx, setup.connection.id)
    const response = await env.app.inject(signedLarkRequest(setup.connection.id, larkMessageEvent({ chatId: setup.chatId, text: '帮助' })))
    expect(response.statusCode).toBe(404)
  })
})
