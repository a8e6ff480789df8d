import { randomBytes, randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { textReply } from '../../src/messages/reply.ts'
import { enqueueOutgoing } from '../../src/outbox/outbox.ts'
import { createLarkClient } from '../../src/platforms/lark/api.ts'
import { createWecomAppClient } from '../../src/platforms/wecom/app-api.ts'
import { createWecomClient } from '../../src/platforms/wecom/api.ts'
import { encryptWecom, wecomSignature } from '../../src/platforms/wecom/crypto.ts'
import { startFakeLark } from '../support/fake-lark.ts'
import { startFakeWecom } from '../support/fake-wecom.ts'
import { setupTestEnv } from '../support/harness.ts'
import {
  createLarkSetup,
  createWecomAppSetup,
  createWecomSetup,
  larkCredentials,
  larkMessageEvent,
  recordingHandler,
  signedLarkRequest,
  signedWecomAppRequest,
  signedWecomRobotRequest,
  startTestWorkers,
  wecomAppCredentials,
  wecomCredentials,
} from '../support/pipeline.ts'
import { sleep, waitFor } from '../support/wait.ts'
import { platformFailure } from '../platforms/helpers.ts'

/** An "internal" service an attacker would like frontdesk to call: it records every request it gets. */
async function startInternalService() {
  const hits: { method?: string; url?: string }[] = []
  const server = createServer((request: IncomingMessage, response) => {
    hits.push({ method: request.method, url: request.url })
    // A redirect back to the platform would also be a way around an origin check.
    response.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, hits, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

const internal = await startInternalService()
const wecom = await startFakeWecom({
  keys: ['push-key-ssrf'],
  apps: [{ corpId: wecomAppCredentials.corpId, corpSecret: wecomAppCredentials.corpSecret, agentId: wecomAppCredentials.agentId }],
})
const lark = await startFakeLark({ appId: larkCredentials.appId, appSecret: larkCredentials.appSecret })
afterAll(async () => {
  await internal.close()
  await wecom.close()
  await lark.close()
})
const env = await setupTestEnv({ WECOM_API_BASE_URL: wecom.url, LARK_API_BASE_URL: lark.url, WECOM_REPLAY_WINDOW_SECONDS: '120' })
const { handler, calls } = recordingHandler()
startTestWorkers(env, { handleChat: handler })
const robot = await createWecomSetup(env, { pushKey: 'push-key-ssrf' })

describe('blind SSRF through a WeCom response_url', () => {
  it('drops a response_url on another host and answers through the group push key instead', async () => {
    const hostileUrl = `${internal.url}/latest/meta-data?response_code=stolen-code`
    const request = signedWecomRobotRequest(robot.connection.id, { chatId: robot.chatId, text: '我的工单', responseUrl: hostileUrl })
    const response = await env.app.inject(request)
    expect(response.statusCode).toBe(200)

    const answer = await waitFor(() => wecom.messages.find((m) => m.key === 'push-key-ssrf' && m.content.includes('收到：我的工单')), { what: 'the push-key answer' })
    expect(answer.responseCode).toBeUndefined()
    const stored = await env.ctx.prisma.inboundEvent.findFirstOrThrow({ where: { connectionId: robot.connection.id } })
    expect(JSON.stringify(stored.message)).not.toContain(internal.url)
    const row = await env.ctx.prisma.outgoingMessage.findFirstOrThrow({ where: { groupId: robot.group.id } })
    expect(row.destination).toBe(robot.chatId)
    expect(internal.hits).toEqual([])
  })

  it('still answers through a response_url on the WeCom API host', async () => {
    const responseUrl = wecom.issueResponseUrl()
    const response = await env.app.inject(signedWecomRobotRequest(robot.connection.id, { chatId: robot.chatId, text: '进度', responseUrl }))
    expect(response.statusCode).toBe(200)
    const answer = await waitFor(() => wecom.messages.find((m) => m.responseCode && responseUrl.includes(m.responseCode)), { what: 'the response_url answer' })
    expect(answer.content).toContain('收到：进度')
  })

  it('a stored message addressed off the platform host becomes a dead letter at send time, and the host is never called', async () => {
    const id = await enqueueOutgoing(env.ctx, {
      tenantId: robot.tenant.id,
      platform: 'wecom',
      connectionId: robot.connection.id,
      groupId: robot.group.id,
      destination: `${internal.url}/cgi-bin/aibot/response?response_code=x`,
      reply: textReply('不该发出'),
      idempotencyKey: `ssrf-${randomUUID()}`,
    })
    const row = await waitFor(
      async () => {
        const found = await env.ctx.prisma.outgoingMessage.findUniqueOrThrow({ where: { id } })
        return found.status === 'dead' ? found : null
      },
      { what: 'the dead letter' },
    )
    expect(row).toMatchObject({ deadLetter: true, attempts: 1 })
    expect(row.lastError).toContain('not the configured wecom API host')
    expect(row.lastError).not.toContain('response_code=x')
    expect(internal.hits).toEqual([])
  })

  it('every platform client refuses other origins permanently and does not follow redirects', async () => {
    const wecomClient = createWecomClient({ baseUrl: wecom.url })
    for (const url of [`${internal.url}/x?response_code=c`, `${wecom.url}@127.0.0.1:1/x`, 'file:///etc/passwd', 'not a url']) {
      const error = await platformFailure(wecomClient.respondToResponseUrl(url, { msgtype: 'text', text: { content: 'x' } }))
      expect(error.kind).toBe('permanent')
    }
    const app = createWecomAppClient({ baseUrl: wecom.url, corpId: 'c', agentId: 1, corpSecret: 's', fetch: (() => Promise.reject(new Error('unreachable'))) as never })
    await expect(app.getAccessToken()).rejects.toMatchObject({ kind: 'retryable' }) // the guard lets its own host through
    // A platform base URL that redirects: the redirect is not followed.
    const redirecting = createLarkClient({ baseUrl: internal.url, appId: 'cli_x', appSecret: 's' })
    const before = internal.hits.length
    const error = await platformFailure(redirecting.getTenantToken())
    expect(error.status).toBe(302)
    expect(internal.hits.length).toBe(before + 1)
    internal.hits.length = before
  })
})

describe('replay window', () => {
  function signedRobotAt(timestampSeconds: number, msgid: string) {
    const plain = JSON.stringify({
      msgid,
      aibotid: 'aibot-1',
      chatid: robot.chatId,
      chattype: 'group',
      from: { userid: 'zhangsan' },
      msgtype: 'text',
      text: { content: '@前台助手 重放' },
    })
    const encrypt = encryptWecom(wecomCredentials.encodingAESKey, plain, '')
    const timestamp = String(timestampSeconds)
    const nonce = randomBytes(4).toString('hex')
    return {
      method: 'POST' as const,
      url: `/webhooks/wecom/${robot.connection.id}?msg_signature=${wecomSignature(wecomCredentials.token, timestamp, nonce, encrypt)}&timestamp=${timestamp}&nonce=${nonce}`,
      payload: JSON.stringify({ encrypt }),
      headers: { 'content-type': 'application/json' },
    }
  }

  it('refuses a correctly signed WeCom robot callback older than WECOM_REPLAY_WINDOW_SECONDS, and runs nothing', async () => {
    // Outside the 120 s window by 5 s: by 1 s, a second boundary passed between taking `now` and
    // the server's check brought the future one inside it.
    const now = Math.floor(Date.now() / 1000)
    const stale = await env.app.inject(signedRobotAt(now - 125, 'replayed-old'))
    expect(stale.statusCode).toBe(401)
    const future = await env.app.inject(signedRobotAt(now + 125, 'replayed-future'))
    expect(future.statusCode).toBe(401)
    const fresh = await env.app.inject(signedRobotAt(now - 60, 'fresh-enough'))
    expect(fresh.statusCode).toBe(200)
    await waitFor(() => calls.find((c) => c.message.messageId === 'fresh-enough'), { what: 'the fresh message' })
    await sleep(300)
    expect(calls.some((c) => c.message.messageId.startsWith('replayed-'))).toBe(false)
  })

  it('refuses a stale WeCom app XML callback and GET verification', async () => {
    const app = await createWecomAppSetup(env)
    const request = signedWecomAppRequest(app.connection.id, { userId: 'lisi', text: '报修' })
    const url = new URL(request.url, 'http://x')
    const stale = String(Math.floor(Date.now() / 1000) - 600)
    const encrypt = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(request.payload)![1]
    url.searchParams.set('timestamp', stale)
    url.searchParams.set('msg_signature', wecomSignature(wecomAppCredentials.token, stale, url.searchParams.get('nonce')!, encrypt))
    expect((await env.app.inject({ ...request, url: url.pathname + url.search })).statusCode).toBe(401)

    const echostr = encryptWecom(wecomAppCredentials.encodingAESKey, 'echo-1', wecomAppCredentials.receiveId)
    const get = (timestamp: string) =>
      env.app.inject({
        method: 'GET',
        url: `/webhooks/wecom/${app.connection.id}?msg_signature=${wecomSignature(wecomAppCredentials.token, timestamp, 'n', echostr)}&timestamp=${timestamp}&nonce=n&echostr=${encodeURIComponent(echostr)}`,
      })
    expect((await get(stale)).statusCode).toBe(401)
    const fresh = await get(String(Math.floor(Date.now() / 1000)))
    expect(fresh.statusCode).toBe(200)
    expect(fresh.body).toBe('echo-1')
  })
})

describe('Lark dedupe', () => {
  it('runs a resend with a new event_id but the same message_id once, and keeps two connections apart', async () => {
    const first = await createLarkSetup(env)
    // A second Lark app of another tenant that happens to see the same ids.
    const other = await env.ctx.prisma.tenant.create({ data: { name: `Lark other ${randomUUID().slice(0, 6)}` } })
    const second = {
      connection: await env.ctx.prisma.platformConnection.create({
        data: { tenantId: other.id, platform: 'lark', name: 'other app', appId: 'cli_0000000000000002', botUserId: 'ou_frontdesk_bot', credentials: env.ctx.secrets.sealJson(larkCredentials) },
      }),
    }
    const messageId = `om_${randomBytes(8).toString('hex')}`
    for (const setup of [first, first, second]) {
      const event = larkMessageEvent({ chatId: first.chatId, text: '接单 #1001', messageId })
      expect((await env.app.inject(signedLarkRequest(setup.connection.id, event))).statusCode).toBe(200)
    }
    await waitFor(() => calls.filter((c) => c.message.messageId === messageId).length === 2, { what: 'one run per connection' })
    await sleep(500)
    const runs = calls.filter((c) => c.message.messageId === messageId)
    expect(runs.map((c) => c.message.connectionId).sort()).toEqual([first.connection.id, second.connection.id].sort())
  })
})
