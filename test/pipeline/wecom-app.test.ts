import { afterAll, describe, expect, it } from 'vitest'
import { startFakeWecom } from '../support/fake-wecom.ts'
import { setupTestEnv } from '../support/harness.ts'
import { createWecomAppSetup, recordingHandler, signedWecomAppRequest, startTestWorkers, wecomAppCredentials } from '../support/pipeline.ts'
import { sleep, waitFor } from '../support/wait.ts'

const { corpId, corpSecret, agentId } = wecomAppCredentials
const wecom = await startFakeWecom({ apps: [{ corpId, corpSecret, agentId, users: ['zhangsan', 'lisi', 'wangwu', 'zhaoliu', 'qianqi'] }] })
afterAll(() => wecom.close())
const env = await setupTestEnv({ WECOM_API_BASE_URL: wecom.url })
const { handler, calls } = recordingHandler()
startTestWorkers(env, { handleChat: handler })
const setup = await createWecomAppSetup(env)

const appMessagesTo = (userId: string) => wecom.messages.filter((m) => m.touser === userId)
/** Posts a member's message to the app callback and expects WeCom's empty 200. */
async function send(connectionId: string, userId: string, text: string, msgId?: string) {
  const response = await env.app.inject(signedWecomAppRequest(connectionId, { userId, text, msgId }))
  expect(response.statusCode).toBe(200)
  expect(response.body).toBe('')
}

describe('WeCom self-built app: replies to direct chats', () => {
  it('runs a callback delivered twice once, and answers the member once through message/send', async () => {
    const request = signedWecomAppRequest(setup.connection.id, { userId: 'zhangsan', text: '我的工单', msgId: '4561255354251345929' })
    for (let i = 0; i < 2; i++) {
      const response = await env.app.inject(request)
      expect(response.statusCode).toBe(200)
      expect(response.body).toBe('')
    }
    const answer = await waitFor(() => appMessagesTo('zhangsan')[0], { what: 'the app message' })
    expect(answer).toMatchObject({ touser: 'zhangsan', agentid: agentId, msgtype: 'markdown' })
    expect(answer.content).toContain('收到：我的工单')
    await sleep(500)
    expect(appMessagesTo('zhangsan')).toHaveLength(1)
    expect(calls.filter((c) => c.message.messageId === '4561255354251345929')).toHaveLength(1)
    expect(calls[0]).toMatchObject({ tenantId: setup.tenant.id, group: null, message: { chatId: 'single:zhangsan', text: '我的工单', sender: { userId: 'zhangsan' } } })
    const row = await env.ctx.prisma.outgoingMessage.findFirstOrThrow({ where: { connectionId: setup.connection.id, destination: 'single:zhangsan' } })
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, deadLetter: false })
  })

  it('fetches the access_token once for several replies', async () => {
    for (const text of ['一', '二', '三']) await send(setup.connection.id, 'lisi', `报修${text}`)
    await waitFor(() => appMessagesTo('lisi').length === 3, { what: 'three app messages' })
    expect(appMessagesTo('lisi').map((m) => m.content).sort()).toEqual(['收到：报修一', '收到：报修三', '收到：报修二'])
    expect(wecom.tokens).toHaveLength(1)
  })

  it('refreshes an expired token once, and a revoked one once, within the same attempt', async () => {
    const before = wecom.tokens.length
    wecom.expireTokens()
    await send(setup.connection.id, 'wangwu', '过期之后')
    await waitFor(() => appMessagesTo('wangwu').length === 1, { what: 'the message after expiry' })
    expect(wecom.tokens).toHaveLength(before + 1)

    wecom.revokeTokens()
    await send(setup.connection.id, 'wangwu', '重置密钥之后')
    await waitFor(() => appMessagesTo('wangwu').length === 2, { what: 'the message after revocation' })
    expect(wecom.tokens).toHaveLength(before + 2)
    const rows = await waitFor(async () => {
      const delivered = await env.ctx.prisma.outgoingMessage.findMany({ where: { destination: 'single:wangwu', status: 'delivered' } })
      return delivered.length === 2 ? delivered : null
    })
    expect(rows.map((r) => r.attempts)).toEqual([1, 1])
  })

  it('waits out a 45009 on message/send and then delivers', async () => {
    wecom.failNext(1, { errcode: 45009, path: '/cgi-bin/message/send' })
    await send(setup.connection.id, 'zhaoliu', '被限流')
    const waiting = await waitFor(
      async () => {
        const row = await env.ctx.prisma.outgoingMessage.findFirst({ where: { destination: 'single:zhaoliu' } })
        return row?.lastError?.includes('throttled') ? row : null
      },
      { what: 'the throttle to be recorded' },
    )
    expect(waiting).toMatchObject({ status: 'pending', deadLetter: false })
    const job = await env.ctx.queues.outbound.getJob(waiting.id)
    expect(await job?.getState()).toBe('delayed')
    // WeCom asked for a minute; bring the job forward instead of waiting in the test.
    await job?.changeDelay(0)
    await waitFor(() => appMessagesTo('zhaoliu').length === 1, { what: 'delivery after the throttle' })
  })

  it('turns an unknown member (81013) into a dead letter at once', async () => {
    await send(setup.connection.id, 'ghost', '我不在通讯录')
    const dead = await waitFor(async () => {
      const row = await env.ctx.prisma.outgoingMessage.findFirst({ where: { destination: 'single:ghost' } })
      return row?.status === 'dead' ? row : null
    })
    expect(dead).toMatchObject({ deadLetter: true, attempts: 1 })
    expect(dead.lastError).toContain('81013')
    expect(appMessagesTo('ghost')).toHaveLength(0)
  })

  it('a connection without app credentials: the reply is a dead letter that names the missing credentials', async () => {
    const bare = await createWecomAppSetup(env, { app: false })
    const tokensBefore = wecom.tokens.length
    await send(bare.connection.id, 'qianqi', '没有应用凭据')
    const dead = await waitFor(async () => {
      const row = await env.ctx.prisma.outgoingMessage.findFirst({ where: { connectionId: bare.connection.id } })
      return row?.status === 'dead' ? row : null
    })
    expect(dead).toMatchObject({ deadLetter: true, attempts: 1, destination: 'single:qianqi' })
    expect(dead.lastError).toContain('app credentials are missing')
    expect(appMessagesTo('qianqi')).toHaveLength(0)
    expect(wecom.tokens).toHaveLength(tokensBefore)
  })

  it('never writes the app Secret or a token into a row', async () => {
    const rows = await env.ctx.prisma.outgoingMessage.findMany({ where: { platform: 'wecom' } })
    const text = JSON.stringify(rows)
    expect(text).not.toContain(corpSecret)
    for (const { token } of wecom.tokens) expect(text).not.toContain(token)
  })
})
