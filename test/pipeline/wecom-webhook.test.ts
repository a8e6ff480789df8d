import { afterAll, describe, expect, it } from 'vitest'
import { encryptWecom, wecomSignature } from '../../src/platforms/wecom/crypto.ts'
import { startFakeWecom } from '../support/fake-wecom.ts'
import { setupTestEnv } from '../support/harness.ts'
import { createWecomSetup, recordingHandler, signedWecomRobotRequest, startTestWorkers } from '../support/pipeline.ts'
import { sleep, waitFor } from '../support/wait.ts'

const wecom = await startFakeWecom({ keys: ['push-key-1'] })
afterAll(() => wecom.close())
const env = await setupTestEnv({ WECOM_API_BASE_URL: wecom.url })
const { handler, calls } = recordingHandler()
startTestWorkers(env, { handleChat: handler })
const setup = await createWecomSetup(env, { pushKey: 'push-key-1' })

describe('WeCom intelligent robot webhook', () => {
  it('answers a fresh GET URL verification, and refuses the official sample of 2014 as a replay', async () => {
    const official = { token: 'QDG6eK', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wx5823bf96d3bd56c7' }
    const connection = await env.ctx.prisma.platformConnection.create({
      data: { tenantId: setup.tenant.id, platform: 'wecom', name: 'app', credentials: env.ctx.secrets.sealJson(official) },
    })
    const echostr = encryptWecom(official.encodingAESKey, '1616140317555161061', official.receiveId)
    const timestamp = String(Math.floor(Date.now() / 1000))
    const signature = wecomSignature(official.token, timestamp, '263014780', echostr)
    const fresh = `msg_signature=${signature}&timestamp=${timestamp}&nonce=263014780&echostr=${encodeURIComponent(echostr)}`
    const response = await env.app.inject({ method: 'GET', url: `/webhooks/wecom/${connection.id}?${fresh}` })
    expect(response.statusCode).toBe(200)
    expect(response.body).toBe('1616140317555161061')

    const sample =
      'msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D'
    const replayed = await env.app.inject({ method: 'GET', url: `/webhooks/wecom/${connection.id}?${sample}` })
    expect(replayed.statusCode).toBe(401)
    expect(replayed.body).not.toContain('1616140317555161061')
  })

  it('runs a message delivered twice once, and answers once through its response_url', async () => {
    const responseUrl = wecom.issueResponseUrl()
    const request = signedWecomRobotRequest(setup.connection.id, { msgid: 'msg-twice', chatId: setup.chatId, text: '我的工单', responseUrl })
    for (let i = 0; i < 2; i++) {
      const response = await env.app.inject(request)
      expect(response.statusCode).toBe(200)
      expect(response.body).toBe('')
    }
    const answer = await waitFor(() => wecom.messages.find((m) => m.responseCode && responseUrl.includes(m.responseCode)), { what: 'the answer' })
    expect(answer.content).toContain('收到：我的工单')
    await sleep(500)
    expect(calls.filter((c) => c.message.messageId === 'msg-twice')).toHaveLength(1)
    expect(calls[0]).toMatchObject({ tenantId: setup.tenant.id, group: { id: setup.group.id }, message: { text: '我的工单', sender: { userId: 'zhangsan' } } })
  })

  it('refuses a bad signature with 401 and a malformed body with 400', async () => {
    const good = signedWecomRobotRequest(setup.connection.id, { chatId: setup.chatId, text: 'x', responseUrl: wecom.issueResponseUrl() })
    const badSignature = await env.app.inject({ ...good, url: good.url.replace(/msg_signature=[0-9a-f]+/, 'msg_signature=' + '0'.repeat(40)) })
    expect(badSignature.statusCode).toBe(401)
    expect(badSignature.json()).toEqual({})
    const malformed = await env.app.inject({ ...good, payload: 'not json' })
    expect(malformed.statusCode).toBe(400)
    const truncated = await env.app.inject({ ...good, payload: JSON.stringify({ encrypt: 'abc' }) })
    expect([400, 401]).toContain(truncated.statusCode)
    await sleep(300)
    expect(calls.every((c) => c.message.text !== 'x')).toBe(true)
  })
})
