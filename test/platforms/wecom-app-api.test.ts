import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { platformFailure as failure } from './helpers.ts'
import { createConnectionBody } from '../../src/admin/schemas.ts'
import { ManualClock } from '../../src/clock.ts'
import { wecomCredentialsSchema } from '../../src/platforms/credentials.ts'
import { TokenCache } from '../../src/platforms/token-cache.ts'
import { classifyWecomFailure } from '../../src/platforms/wecom/api.ts'
import { createWecomAppClient, type WecomAppClientOptions, type WecomAppMessageBody } from '../../src/platforms/wecom/app-api.ts'
import { WECOM_APP_MARKDOWN_MAX_BYTES, renderWecomMarkdown } from '../../src/platforms/wecom/render.ts'
import { startFakeWecom } from '../support/fake-wecom.ts'

const app = { corpId: 'ww5823bf96d3bd56c7', corpSecret: 'app-secret-NEVER-IN-ERRORS-8e1f', agentId: 1000002 }
const clock = new ManualClock(new Date('2026-11-23T02:00:00Z'))
const fake = await startFakeWecom({ apps: [{ ...app, users: ['zhangsan', 'lisi'] }], clock })
afterAll(() => fake.close())

const markdown = (content: string): WecomAppMessageBody => ({ msgtype: 'markdown', markdown: { content } })

/** A client with its own token cache, so each test starts without a token. */
function client(overrides: Partial<WecomAppClientOptions> = {}) {
  return createWecomAppClient({ baseUrl: fake.url, ...app, now: () => clock.now().getTime(), tokenCache: new TokenCache(), ...overrides })
}

beforeEach(() => {
  fake.permanentFailure(null)
  fake.messages.length = 0
  fake.tokens.length = 0
})

describe('WeCom app client against the fake server', () => {
  it('sends markdown to one member as the app', async () => {
    const sent = await client().sendToUser('zhangsan', markdown('**报修** #1023 已受理'))
    expect(sent.msgid).toEqual(expect.any(String))
    expect(fake.messages).toMatchObject([{ touser: 'zhangsan', agentid: app.agentId, msgtype: 'markdown', content: '**报修** #1023 已受理' }])
  })

  it('caches the token until five minutes before expires_in', async () => {
    const wecom = client()
    await wecom.sendToUser('zhangsan', markdown('a'))
    await wecom.sendToUser('zhangsan', markdown('b'))
    expect(fake.tokens).toHaveLength(1)
    clock.advance((7200 - 301) * 1000)
    await wecom.sendToUser('zhangsan', markdown('c'))
    expect(fake.tokens).toHaveLength(1)
    clock.advance(2000) // now inside the margin: a fresh token before the old one lapses
    await wecom.sendToUser('zhangsan', markdown('d'))
    expect(fake.tokens).toHaveLength(2)
    expect(fake.messages).toHaveLength(4)
  })

  it('concurrent sends share one gettoken', async () => {
    const wecom = client()
    await Promise.all(['1', '2', '3', '4'].map((n) => wecom.sendToUser('lisi', markdown(n))))
    expect(fake.tokens).toHaveLength(1)
    expect(fake.messages).toHaveLength(4)
  })

  it.each([
    ['expired (42001)', () => fake.expireTokens()],
    ['revoked (40014)', () => fake.revokeTokens()],
  ])('a token WeCom calls %s is refreshed once and the send retried', async (_name, spoil) => {
    const wecom = client()
    await wecom.sendToUser('zhangsan', markdown('before'))
    spoil()
    await wecom.sendToUser('zhangsan', markdown('after'))
    expect(fake.tokens).toHaveLength(2)
    expect(fake.messages.map((m) => m.content)).toEqual(['before', 'after'])
  })

  it('40001 on send is a token error too: one refresh, and a second rejection is permanent', async () => {
    const wecom = client()
    fake.failNext(2, { errcode: 40001, errmsg: 'invalid credential', path: '/cgi-bin/message/send' })
    const error = await failure(wecom.sendToUser('zhangsan', markdown('x')))
    expect(error).toMatchObject({ kind: 'permanent', code: 40001 })
    expect(fake.tokens).toHaveLength(2)
    expect(fake.messages).toHaveLength(0)
  })

  it('a wrong Secret fails gettoken permanently, without retrying and without the Secret in the error', async () => {
    const secret = 'wrong-secret-ALSO-NEVER-SHOWN-42'
    const error = await failure(client({ corpSecret: secret }).sendToUser('zhangsan', markdown('x')))
    expect(error).toMatchObject({ kind: 'permanent', code: 40001 })
    expect(error.message).toContain('gettoken')
    expect(JSON.stringify({ ...error, message: error.message })).not.toContain(secret)
    expect(fake.tokens).toHaveLength(0)
    expect(await failure(client({ corpId: 'ww-unknown' }).getAccessToken())).toMatchObject({ kind: 'permanent', code: 40013 })
  })

  it('never shows the token or the Secret, even when errmsg echoes them', async () => {
    const wecom = client()
    const token = await wecom.getAccessToken()
    fake.failNext(1, { errcode: 60020, errmsg: `not allow to access from your ip, token ${token}, secret ${app.corpSecret}`, path: '/cgi-bin/message/send' })
    const error = await failure(wecom.sendToUser('zhangsan', markdown('x')))
    expect(error).toMatchObject({ kind: 'permanent', code: 60020 })
    expect(error.message).not.toContain(token)
    expect(error.message).not.toContain(app.corpSecret)
    fake.failNext(1, { network: true, path: '/cgi-bin/message/send' })
    const network = await failure(wecom.sendToUser('zhangsan', markdown('x')))
    expect(network.kind).toBe('retryable')
    expect(network.message).not.toContain(token)
  })

  it('45009 → throttled for a minute; -1, 5xx and network errors → retryable', async () => {
    const wecom = client()
    fake.failNext(1, { errcode: 45009, errmsg: 'api freq out of limit', path: '/cgi-bin/message/send' })
    expect(await failure(wecom.sendToUser('zhangsan', markdown('x')))).toMatchObject({ kind: 'throttled', code: 45009, retryAfterMs: 60_000 })
    fake.failNext(1, { errcode: -1, errmsg: 'system busy', path: '/cgi-bin/message/send' })
    expect((await failure(wecom.sendToUser('zhangsan', markdown('x')))).kind).toBe('retryable')
    fake.failNext(1, { status: 502, path: '/cgi-bin/message/send' })
    expect((await failure(wecom.sendToUser('zhangsan', markdown('x')))).kind).toBe('retryable')
    fake.failNext(1, { status: 503, path: '/cgi-bin/gettoken' })
    expect((await failure(client().getAccessToken())).kind).toBe('retryable')
    await expect(wecom.sendToUser('zhangsan', markdown('ok'))).resolves.toBeDefined()
  })

  it('an unknown member → permanent 81013; a bad agentid → permanent 40056', async () => {
    expect(await failure(client().sendToUser('ghost', markdown('x')))).toMatchObject({ kind: 'permanent', code: 81013 })
    expect(await failure(client({ agentId: 1000003 }).sendToUser('zhangsan', markdown('x')))).toMatchObject({ kind: 'permanent', code: 40056 })
  })

  it('app markdown is limited to 2048 bytes: rendered pieces fit, a longer one is refused', async () => {
    const wecom = client()
    const reply = { heading: '日报', lines: Array(120).fill('**3-2-501** 漏水 已处理 😀'), mentions: [], buttons: [{ label: '接单', command: '接单 #1023' }] }
    const pieces = renderWecomMarkdown(reply, WECOM_APP_MARKDOWN_MAX_BYTES)
    expect(pieces.length).toBeGreaterThan(1)
    for (const content of pieces) {
      expect(Buffer.byteLength(content)).toBeLessThanOrEqual(2048)
      await wecom.sendToUser('lisi', markdown(content))
    }
    expect(fake.messages).toHaveLength(pieces.length)
    expect(await failure(wecom.sendToUser('lisi', markdown('汉'.repeat(683))))).toMatchObject({ kind: 'permanent', code: 45002 }) // 2049 bytes
  })

  it('an answer of 0 that lists our recipient in invaliduser is not a delivery', async () => {
    // WeCom answers 0 and lists unreachable members when some recipients are fine; stub that answer.
    const partial: typeof fetch = async (input, init) =>
      String(input).includes('/cgi-bin/message/send')
        ? new Response(JSON.stringify({ errcode: 0, errmsg: 'ok', invaliduser: 'zhangsan' }), { headers: { 'content-type': 'application/json' } })
        : fetch(input, init)
    expect(await failure(client({ fetch: partial }).sendToUser('zhangsan', markdown('x')))).toMatchObject({ kind: 'permanent' })
  })
})

describe('classifyWecomFailure: app API codes', () => {
  it.each([
    [200, 45009, 'throttled'],
    [200, -1, 'retryable'],
    [500, undefined, 'retryable'],
    [503, undefined, 'retryable'],
    [undefined, undefined, 'retryable'],
    // Token errors: the client refreshes once; reaching the table means the refresh did not help.
    [200, 40014, 'permanent'],
    [200, 42001, 'permanent'],
    [200, 40001, 'permanent'],
    [200, 81013, 'permanent'],
    [200, 60020, 'permanent'],
    [200, 40056, 'permanent'],
    [200, 40013, 'permanent'],
    [200, 45002, 'permanent'],
    [200, 12345, 'permanent'],
    [429, undefined, 'throttled'],
  ] as const)('HTTP %s errcode %s → %s', (status, errcode, kind) => {
    expect(classifyWecomFailure(status, errcode)).toBe(kind)
  })
})

describe('app credentials on a WeCom connection', () => {
  const callback = { token: 'wecomAppToken', encodingAESKey: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456', receiveId: app.corpId }

  it('are optional, kept by the credentials schema, and agentId must be an integer', () => {
    expect(wecomCredentialsSchema.parse({ ...callback, ...app })).toEqual({ ...callback, ...app })
    expect(wecomCredentialsSchema.parse(callback)).toEqual(callback)
    expect(wecomCredentialsSchema.safeParse({ ...callback, ...app, agentId: '1000002' }).success).toBe(false)
    expect(wecomCredentialsSchema.safeParse({ ...callback, ...app, agentId: 1.5 }).success).toBe(false)
  })

  it('are accepted by the admin API together, refused when only some are given', () => {
    const body = (credentials: object) => ({ platform: 'wecom', name: '前台应用', credentials })
    const full = createConnectionBody.safeParse(body({ ...callback, ...app }))
    expect(full.success && full.data.credentials).toEqual({ ...callback, ...app })
    const partial = createConnectionBody.safeParse(body({ ...callback, corpId: app.corpId }))
    expect(partial.success).toBe(false)
    expect(partial.error?.issues.map((i) => i.path.join('.'))).toEqual(['credentials.agentId', 'credentials.corpSecret'])
  })
})
