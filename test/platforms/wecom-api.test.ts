import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { platformFailure as failure } from './helpers.ts'
import { ManualClock } from '../../src/clock.ts'
import { classifyWecomFailure, createWecomClient, type WecomOutboundBody } from '../../src/platforms/wecom/api.ts'
import { renderWecomMarkdown, renderWecomText } from '../../src/platforms/wecom/render.ts'
import { RESPONSE_URL_USED_ERRCODE, startFakeWecom } from '../support/fake-wecom.ts'

const KEY = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa'
const clock = new ManualClock(new Date('2026-11-23T02:00:00Z'))
const fake = await startFakeWecom({ keys: [KEY], clock })
afterAll(() => fake.close())
const wecom = createWecomClient({ baseUrl: fake.url })

const markdown = (content: string): WecomOutboundBody => ({ msgtype: 'markdown', markdown: { content } })

beforeEach(() => {
  fake.permanentFailure(null)
  fake.messages.length = 0
  clock.advance(61_000) // a fresh rate-limit window for each test
})

describe('WeCom client against the fake server', () => {
  it('pushes markdown to a webhook', async () => {
    await wecom.pushWebhook(KEY, markdown('**报修** #1023 <@zhangsan>'))
    expect(fake.messages).toMatchObject([{ key: KEY, msgtype: 'markdown', content: '**报修** #1023 <@zhangsan>' }])
  })

  it('enforces 20 messages per minute per key: the 21st is throttled for 60 s', async () => {
    for (let i = 0; i < 20; i++) await wecom.pushWebhook(KEY, markdown(`m${i}`))
    const error = await failure(wecom.pushWebhook(KEY, markdown('m20')))
    expect(error).toMatchObject({ kind: 'throttled', code: 45009, retryAfterMs: 60_000 })
    clock.advance(60_001)
    await expect(wecom.pushWebhook(KEY, markdown('after a minute'))).resolves.toBeUndefined()
  })

  it('unknown key → permanent 93000, and the key never appears in the error', async () => {
    const secretKey = 'not-a-key-but-secret-1234'
    const error = await failure(wecom.pushWebhook(secretKey, markdown('x')))
    expect(error).toMatchObject({ kind: 'permanent', code: 93000 })
    expect(error.message).not.toContain(secretKey)
    expect(JSON.stringify(error)).not.toContain(secretKey)
  })

  it('masks the key even when errmsg echoes it', async () => {
    fake.failNext(1, { errcode: 93004, errmsg: `robot ${KEY} disabled` })
    const error = await failure(wecom.pushWebhook(KEY, markdown('x')))
    expect(error.kind).toBe('permanent')
    expect(error.message).not.toContain(KEY)
  })

  it('over-long content → permanent 45002; empty → 44004', async () => {
    const tooLong = '汉'.repeat(1366) // 4098 bytes
    expect(await failure(wecom.pushWebhook(KEY, markdown(tooLong)))).toMatchObject({ kind: 'permanent', code: 45002 })
    expect(await failure(wecom.pushWebhook(KEY, markdown('')))).toMatchObject({ kind: 'permanent', code: 44004 })
  })

  it('-1, 5xx and network errors → retryable, without the key', async () => {
    fake.failNext(1, { errcode: -1, errmsg: 'system busy' })
    expect((await failure(wecom.pushWebhook(KEY, markdown('x')))).kind).toBe('retryable')
    fake.failNext(1, { status: 502 })
    expect((await failure(wecom.pushWebhook(KEY, markdown('x')))).kind).toBe('retryable')
    fake.failNext(1, { network: true })
    const network = await failure(wecom.pushWebhook(KEY, markdown('x')))
    expect(network.kind).toBe('retryable')
    expect(network.message).not.toContain(KEY)
    await expect(wecom.pushWebhook(KEY, markdown('ok'))).resolves.toBeUndefined()
  })

  it('permanentFailure scripts every request until cleared', async () => {
    fake.permanentFailure({ errcode: 93008, errmsg: 'not in chat' })
    expect((await failure(wecom.pushWebhook(KEY, markdown('a')))).code).toBe(93008)
    expect((await failure(wecom.pushWebhook(KEY, markdown('b')))).code).toBe(93008)
    fake.permanentFailure(null)
    await expect(wecom.pushWebhook(KEY, markdown('c'))).resolves.toBeUndefined()
  })

  it('answers a response_url once; a second use is permanent and hides the response code', async () => {
    const url = fake.issueResponseUrl()
    await wecom.respondToResponseUrl(url, markdown('已受理 #1023'))
    expect(fake.messages).toMatchObject([{ msgtype: 'markdown', content: '已受理 #1023' }])
    const error = await failure(wecom.respondToResponseUrl(url, markdown('again')))
    expect(error).toMatchObject({ kind: 'permanent', code: RESPONSE_URL_USED_ERRCODE })
    const code = new URL(url).searchParams.get('response_code')!
    expect(error.message).not.toContain(code)
  })

  it('a response_url expires after one hour', async () => {
    const url = fake.issueResponseUrl()
    clock.advance(60 * 60 * 1000 + 1)
    expect((await failure(wecom.respondToResponseUrl(url, markdown('late')))).kind).toBe('permanent')
  })
})

describe('rendered replies are accepted by the fake webhook', () => {
  it('markdown and text pieces fit the byte limits', async () => {
    const reply = { heading: '日报', lines: Array(300).fill('**3-2-501** 漏水 <@zhangsan> 已处理 😀'), mentions: [{ userId: 'lisi', name: '李四' }], buttons: [{ label: '接单', command: '接单 #1023' }] }
    const pieces = renderWecomMarkdown(reply)
    expect(pieces.length).toBeGreaterThan(1)
    for (const content of pieces) await wecom.pushWebhook(KEY, { msgtype: 'markdown', markdown: { content } })
    clock.advance(61_000)
    const texts = renderWecomText(reply).slice(0, 10)
    for (const text of texts) await wecom.pushWebhook(KEY, { msgtype: 'text', text })
    expect(fake.messages).toHaveLength(pieces.length + texts.length)
  })
})

describe('classifyWecomFailure table', () => {
  it.each([
    [200, 45009, 'throttled'],
    [200, -1, 'retryable'],
    [502, undefined, 'retryable'],
    [undefined, undefined, 'retryable'],
    [200, 93000, 'permanent'],
    [200, 93004, 'permanent'],
    [200, 93008, 'permanent'],
    [200, 40008, 'permanent'],
    [200, 44004, 'permanent'],
    [200, 45002, 'permanent'],
    [200, 93017, 'permanent'],
    [404, undefined, 'permanent'],
  ] as const)('HTTP %s errcode %s → %s', (status, errcode, kind) => {
    expect(classifyWecomFailure(status, errcode)).toBe(kind)
  })
})
