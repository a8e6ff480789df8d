import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { platformFailure as failure } from './helpers.ts'
import { LarkTokenCache, classifyLarkFailure, createLarkClient, type LarkOutboundMessage } from '../../src/platforms/lark/api.ts'
import { renderLarkMessage } from '../../src/platforms/lark/render.ts'
import { startFakeLark } from '../support/fake-lark.ts'

let clockMs = Date.UTC(2026, 10, 23, 2)
const fake = await startFakeLark({ chats: ['oc_group1'], now: () => clockMs })
afterAll(() => fake.close())

const text = (body: string): LarkOutboundMessage => ({ msg_type: 'text', content: JSON.stringify({ text: body }) })

function client(overrides: Partial<Parameters<typeof createLarkClient>[0]> = {}) {
  return createLarkClient({
    baseUrl: fake.url,
    appId: fake.appId,
    appSecret: fake.appSecret,
    now: () => clockMs,
    tokenCache: new LarkTokenCache(),
    ...overrides,
  })
}

beforeEach(() => {
  fake.permanentFailure(null)
  fake.messages.length = 0
})

describe('Lark client against the fake OpenAPI', () => {
  it('sends to a chat and caches the token until 3 minutes before expiry', async () => {
    const lark = client()
    const before = fake.tokenRequests
    const sent = await lark.sendToChat('oc_group1', text('你好'), 'uuid-1')
    await lark.sendToChat('oc_group1', text('again'), 'uuid-2')
    expect(fake.tokenRequests - before).toBe(1)
    expect(sent.messageId).toMatch(/^om_/)
    expect(fake.messages.map((m) => [m.receiveId, m.receiveIdType, m.content.text])).toEqual([
      ['oc_group1', 'chat_id', '你好'],
      ['oc_group1', 'chat_id', 'again'],
    ])

    clockMs += (7200 - 181) * 1000 // still more than 3 minutes left
    await lark.sendToChat('oc_group1', text('x'), 'uuid-3')
    expect(fake.tokenRequests - before).toBe(1)
    clockMs += 2000 // now under 3 minutes left: refresh
    await lark.sendToChat('oc_group1', text('y'), 'uuid-4')
    expect(fake.tokenRequests - before).toBe(2)
  })

  it('shares one token request between concurrent sends', async () => {
    const lark = client()
    const before = fake.tokenRequests
    await Promise.all([1, 2, 3].map((i) => lark.sendToChat('oc_group1', text(`c${i}`), `conc-${i}`)))
    expect(fake.tokenRequests - before).toBe(1)
  })

  it('dedupes by uuid: the same uuid yields the same message once', async () => {
    const lark = client()
    const a = await lark.sendToChat('oc_group1', text('once'), 'dedupe-1')
    const b = await lark.sendToChat('oc_group1', text('once'), 'dedupe-1')
    expect(b.messageId).toBe(a.messageId)
    expect(fake.messages.filter((m) => m.uuid === 'dedupe-1')).toHaveLength(1)
  })

  it('replies to a message', async () => {
    const sent = await client().replyToMessage('om_abc', { msg_type: 'post', content: JSON.stringify({ zh_cn: { title: 't', content: [[{ tag: 'text', text: 'ok' }]] } }) }, 'reply-1')
    expect(sent.messageId).toMatch(/^om_/)
    expect(fake.messages[0]).toMatchObject({ replyTo: 'om_abc', msgType: 'post' })
  })

  it('refreshes a revoked token once and retries', async () => {
    const lark = client()
    await lark.sendToChat('oc_group1', text('1'), 'rev-1')
    const before = fake.tokenRequests
    fake.revokeTokens()
    await lark.sendToChat('oc_group1', text('2'), 'rev-2')
    expect(fake.tokenRequests - before).toBe(1)
    expect(fake.messages.map((m) => m.uuid)).toEqual(['rev-1', 'rev-2'])
  })

  it('gives up on a token error that persists after one refresh', async () => {
    const lark = client()
    fake.failNext(2, { code: 99991663, msg: 'invalid token' })
    const error = await failure(lark.sendToChat('oc_group1', text('x'), 'tok-1'))
    expect(error.kind).toBe('permanent')
    expect(error.code).toBe(99991663)
  })

  it('wrong app secret → permanent, without leaking the secret', async () => {
    const error = await failure(client({ appSecret: 'wrong-secret-value' }).sendToChat('oc_group1', text('x'), 'sec-1'))
    expect(error).toMatchObject({ kind: 'permanent', code: 10014 })
    expect(error.message).not.toContain('wrong-secret-value')
  })

  it('bot not in group → permanent 230002', async () => {
    const error = await failure(client().sendToChat('oc_elsewhere', text('x'), 'nig-1'))
    expect(error).toMatchObject({ kind: 'permanent', code: 230002 })
  })

  it('5xx and network errors → retryable; the next try succeeds', async () => {
    const lark = client()
    await lark.getTenantToken()
    fake.failNext(1, { status: 500 })
    expect((await failure(lark.sendToChat('oc_group1', text('x'), 'r-1'))).kind).toBe('retryable')
    fake.failNext(1, { network: true })
    expect((await failure(lark.sendToChat('oc_group1', text('x'), 'r-2'))).kind).toBe('retryable')
    fake.failNext(1, { status: 400, code: -1, msg: 'system busy' })
    expect((await failure(lark.sendToChat('oc_group1', text('x'), 'r-3'))).kind).toBe('retryable')
    await expect(lark.sendToChat('oc_group1', text('x'), 'r-4')).resolves.toBeDefined()
  })

  it('throttling → throttled with retryAfterMs from the rate-limit header', async () => {
    const lark = client()
    fake.failNext(1, { status: 429, code: 99991400, msg: 'request trigger frequency limit', headers: { 'x-ogw-ratelimit-reset': '2' } })
    expect(await failure(lark.sendToChat('oc_group1', text('x'), 't-1'))).toMatchObject({ kind: 'throttled', retryAfterMs: 2000 })
    fake.failNext(1, { status: 400, code: 230020, msg: 'frequency limit' })
    const error = await failure(lark.sendToChat('oc_group1', text('x'), 't-2'))
    expect(error).toMatchObject({ kind: 'throttled', code: 230020 })
    expect(error.retryAfterMs).toBeUndefined()
  })

  it('token endpoint outage → retryable', async () => {
    fake.failNext(1, { status: 503, endpoint: 'token' })
    expect((await failure(client().sendToChat('oc_group1', text('x'), 'te-1'))).kind).toBe('retryable')
  })

  it('rejects oversized or malformed content like the real API', async () => {
    const big = { msg_type: 'post' as const, content: JSON.stringify({ zh_cn: { title: '', content: [[{ tag: 'text', text: 'x'.repeat(31 * 1024) }]] } }) }
    expect(await failure(client().sendToChat('oc_group1', big, 'big-1'))).toMatchObject({ kind: 'permanent', code: 230025 })
    const bad = { msg_type: 'text' as const, content: '{"txt":"x"}' }
    expect(await failure(client().sendToChat('oc_group1', bad, 'bad-1'))).toMatchObject({ kind: 'permanent', code: 230001 })
  })
})

describe('rendered replies are accepted by the fake OpenAPI', () => {
  it.each([
    ['text', { lines: ['已派单'], mentions: [{ userId: 'ou_li', name: '李师傅' }], buttons: [] }],
    ['post', { heading: '汇总', lines: Array(1500).fill('新增 **3** 单 "厨房"'), mentions: [], buttons: [] }],
    ['interactive', { lines: Array(1500).fill('**待办** 回访'), mentions: [], buttons: [{ label: '完成', command: '完成 #1' }] }],
  ])('%s, split into several messages within the limits', async (msgType, reply) => {
    const lark = client()
    const messages = renderLarkMessage(reply)
    for (const [i, message] of messages.entries()) await lark.sendToChat('oc_group1', message, `render-${msgType}-${i}`)
    expect(fake.messages.map((m) => m.msgType)).toEqual(messages.map(() => msgType))
  })
})

describe('classifyLarkFailure table', () => {
  it.each([
    [500, undefined, 'retryable'],
    [undefined, undefined, 'retryable'],
    [200, -1, 'retryable'],
    [429, undefined, 'throttled'],
    [400, 230020, 'throttled'],
    [400, 99991400, 'throttled'],
    [400, 230001, 'permanent'],
    [400, 230002, 'permanent'],
    [400, 230006, 'permanent'],
    [400, 230027, 'permanent'],
    [400, 230034, 'permanent'],
    [400, 230035, 'permanent'],
    [400, 99991663, 'permanent'],
    [400, 99991664, 'permanent'],
    [403, undefined, 'permanent'],
  ] as const)('HTTP %s code %s → %s', (status, code, kind) => {
    expect(classifyLarkFailure(status, code)).toBe(kind)
  })
})
