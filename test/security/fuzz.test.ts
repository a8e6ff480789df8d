import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { TEST_ADMIN_TOKEN, setupTestEnv } from '../support/harness.ts'
import { encryptLarkEvent, larkSignature } from '../../src/platforms/lark/crypto.ts'
import { encryptWecom, wecomSignature } from '../../src/platforms/wecom/crypto.ts'
import {
  createLarkSetup,
  createWecomAppSetup,
  createWecomSetup,
  larkCredentials,
  larkMessageEvent,
  signedLarkRequest,
  wecomAppCredentials,
  wecomCredentials,
} from '../support/pipeline.ts'

/**
 * Hostile input never hurts: thousands of generated requests (odd ids in paths, random bytes,
 * random JSON and XML bodies, odd content types and headers) against every webhook, console and
 * admin route, on a real PostgreSQL and Redis. None may answer 5xx, and the server must still
 * answer /healthz afterwards.
 */
const env = await setupTestEnv()
const lark = await createLarkSetup(env)
const wecom = await createWecomSetup(env, { pushKey: 'fuzz-push-key' })
const wecomApp = await createWecomAppSetup(env)
const tenantId = lark.tenant.id
const consoleGroup = await env.ctx.prisma.chatGroup.create({
  data: { tenantId, platform: 'console', externalId: `console-${randomUUID()}`, name: '前台群', purpose: 'front_desk' },
})
const consoleMember = await env.ctx.prisma.member.create({
  data: { tenantId, platform: 'console', externalUserId: `u-${randomUUID()}`, name: '小李', roles: ['agent'] },
})

const RUNS = Number(process.env.FUZZ_RUNS ?? 120)

// ── generators ────────────────────────────────────────────────────────────────────────────────

/** A path segment as it would appear on the wire: encoded odd strings and raw escapes such as %00. */
const rawSegment = fc.oneof(
  fc.constantFrom('%00', 'a%00b', '%00%00', '%2e%2e', '%2F', '%ZZ', '%', '%c0%ae', '%e4%b8', '%ff', '..', '.', 'null', 'undefined', '0', '-1', '1e309'),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent),
  fc.uuid().map((id) => id.toUpperCase()),
  fc.uuid(),
  fc.constant('x'.repeat(5000)),
  fc.uuid().map((id) => `${id}%00`),
)

/** An id segment: mostly hostile, sometimes a real record so the deeper code runs too. */
const idSegment = (real: string[]) => fc.oneof({ weight: 3, arbitrary: rawSegment }, { weight: 1, arbitrary: fc.constantFrom(...real) })

const queryString = fc.oneof(
  fc.constant(''),
  fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 }), { maxKeys: 5 }).map((q) => '?' + new URLSearchParams(q).toString()),
  fc.constantFrom(
    '?msg_signature=0000000000000000000000000000000000000000&timestamp=1&nonce=n&echostr=abc',
    `?msg_signature=${'a'.repeat(40)}&timestamp=${Math.floor(Date.now() / 1000)}&nonce=n&echostr=%00`,
    '?msg_signature=&timestamp=&nonce=',
    '?msg_signature=a&msg_signature=b&timestamp=1&timestamp=2&nonce=x',
    '?timestamp=99999999999999999999&nonce=%00&msg_signature=x',
    '?after=%00',
    '?after=2026-13-45T99:99:99Z',
    '?after=' + '9'.repeat(400),
    '?limit=-1&before=%00&cursor=%00',
    '?%00=%00',
    '?a[b][c]=1&__proto__[x]=1',
  ),
)

const hostileXml = fc.oneof(
  fc.nat({ max: 20_000 }).map((depth) => '<xml>' + '<a>'.repeat(depth) + '</a>'.repeat(depth) + '</xml>'),
  fc.nat({ max: 20_000 }).map((n) => `<xml ${Array.from({ length: n }, (_, i) => `a${i}="${i}"`).join(' ')}><Encrypt>x</Encrypt></xml>`),
  fc.constant('<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><xml><Encrypt>&c;</Encrypt></xml>'),
  fc.constant('<?xml version="1.0"?><!DOCTYPE foo SYSTEM "file:///etc/passwd"><xml><Encrypt>&xxe;</Encrypt></xml>'),
  fc.constant('<xml><__proto__><Encrypt>x</Encrypt></__proto__><constructor>1</constructor></xml>'),
  fc.constant('<xml><Encrypt><![CDATA[' + 'A'.repeat(100_000) + ']]></Encrypt></xml>'),
  fc.constant('<xml><Encrypt>abc</Encrypt></xml><xml/>'),
  fc.constant('<xml><Encrypt>a\u0000b</Encrypt></xml>'),
  fc.string({ maxLength: 200 }).map((s) => `<xml><Encrypt>${s}</Encrypt><ToUserName>${s}</ToUserName></xml>`),
  fc.string({ maxLength: 200 }).map((s) => `<${s}>`),
)

/** Bodies shaped like what the routes expect, with values that are not. */
const oddValue = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.constantFrom('\u0000', 'a\u0000b', '\ud800', '\uffff', 'x'.repeat(10_000), '', ' ', '__proto__', '<script>', "'; DROP TABLE \"Tenant\"; --"),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.uuid(),
)
const knownKeys = [
  'name', 'timeZone', 'businessHours', 'holidays', 'policy', 'platform', 'mode', 'credentials', 'connectionId', 'externalId',
  'purpose', 'pushKey', 'summaryTime', 'summaryEnabled', 'memberId', 'text', 'messageId', 'role', 'externalUserId', 'groupId',
  'encrypt', 'Encrypt', 'schema', 'header', 'event', 'type', 'challenge', 'token', 'uuid', 'ttlMinutes', 'expiresInMinutes',
]
const shapedObject = fc.dictionary(fc.oneof(fc.constantFrom(...knownKeys), fc.string({ maxLength: 8 })), oddValue, { maxKeys: 6 })

const body = fc.oneof(
  fc.constant(undefined),
  fc.uint8Array({ maxLength: 600 }).map((bytes) => Buffer.from(bytes)),
  fc.json({ maxDepth: 4 }),
  shapedObject.map((o) => JSON.stringify(o)),
  fc.constantFrom('{', '[', '"', '{"a":', 'null', 'true', '1e999', '{"__proto__":{"x":1}}', '{"a":"\\u0000"}', '{"text":"\\ud800"}', '\u0000', '\ufeff{}'),
  fc.nat({ max: 200 }).map((depth) => '['.repeat(depth * 50) + ']'.repeat(depth * 50)),
  hostileXml,
  fc.constant('x'.repeat(2 * 1024 * 1024)),
)

const contentType = fc.oneof(
  // Mostly a type the route parses, so the body reaches the handler.
  { weight: 4, arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/xml') },
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=latin1',
    'application/json; charset=nope',
    'text/xml',
    'application/xml',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/octet-stream',
    'application/json, text/xml',
    '',
    ';;;',
  ),
  fc.string({ maxLength: 30 }).filter((s) => /^[\x21-\x7e ]*$/.test(s)),
)

const extraHeaders = fc.record(
  {
    'x-lark-signature': fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }), fc.string({ maxLength: 70 }).filter((s) => /^[\x20-\x7e]*$/.test(s))),
    'x-lark-request-timestamp': fc.oneof(fc.constant(String(Math.floor(Date.now() / 1000))), fc.string({ maxLength: 20 }).filter((s) => /^[\x20-\x7e]*$/.test(s))),
    'x-lark-request-nonce': fc.string({ maxLength: 20 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
    authorization: fc.constantFrom(`Bearer ${TEST_ADMIN_TOKEN}`, 'Bearer ', 'Basic abc', `bearer ${TEST_ADMIN_TOKEN}`),
    'x-forwarded-for': fc.constantFrom('1.2.3.4', 'not-an-ip', '::1, 10.0.0.1'),
  },
  { requiredKeys: [] },
)

// ── routes ────────────────────────────────────────────────────────────────────────────────────

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT'
interface RouteCase {
  method: Method
  /** Builds the path from one id per placeholder. */
  path: (ids: string[]) => string
  ids: string[][]
  admin?: boolean
}

const tenantIds = [tenantId]
const groupIds = [wecom.group.id, consoleGroup.id]
const connectionIds = [lark.connection.id, wecom.connection.id, wecomApp.connection.id]
const memberIds = [consoleMember.id]

const routes: RouteCase[] = [
  { method: 'POST', path: ([id]) => `/webhooks/lark/${id}`, ids: [connectionIds] },
  { method: 'GET', path: ([id]) => `/webhooks/wecom/${id}`, ids: [connectionIds] },
  { method: 'POST', path: ([id]) => `/webhooks/wecom/${id}`, ids: [connectionIds] },
  { method: 'POST', path: ([id]) => `/console/groups/${id}/messages`, ids: [groupIds] },
  { method: 'GET', path: ([id]) => `/console/groups/${id}/messages`, ids: [groupIds] },
  // A real console group would open an endless event stream: only ids that do not exist here.
  { method: 'GET', path: ([id]) => `/console/groups/${id}/events`, ids: [[randomUUID()]] },
  { method: 'POST', path: () => '/admin/api/tenants', ids: [], admin: true },
  { method: 'GET', path: () => '/admin/api/tenants', ids: [], admin: true },
  { method: 'GET', path: ([id]) => `/admin/api/tenants/${id}`, ids: [tenantIds], admin: true },
  { method: 'PATCH', path: ([id]) => `/admin/api/tenants/${id}`, ids: [tenantIds], admin: true },
  { method: 'GET', path: ([id]) => `/admin/api/tenants/${id}/policy`, ids: [tenantIds], admin: true },
  { method: 'POST', path: ([id]) => `/admin/api/tenants/${id}/connections`, ids: [tenantIds], admin: true },
  { method: 'GET', path: ([id]) => `/admin/api/tenants/${id}/connections`, ids: [tenantIds], admin: true },
  { method: 'POST', path: ([id]) => `/admin/api/connections/${id}/disable`, ids: [[randomUUID()]], admin: true },
  { method: 'POST', path: ([id]) => `/admin/api/connections/${id}/enable`, ids: [connectionIds], admin: true },
  { method: 'POST', path: ([id]) => `/admin/api/tenants/${id}/groups`, ids: [tenantIds], admin: true },
  { method: 'GET', path: ([id]) => `/admin/api/tenants/${id}/groups`, ids: [tenantIds], admin: true },
  { method: 'PATCH', path: ([id]) => `/admin/api/groups/${id}`, ids: [groupIds], admin: true },
  { method: 'DELETE', path: ([id]) => `/admin/api/groups/${id}`, ids: [[randomUUID()]], admin: true },
  { method: 'POST', path: ([id]) => `/admin/api/tenants/${id}/binding-codes`, ids: [tenantIds], admin: true },
  { method: 'POST', path: ([id]) => `/admin/api/tenants/${id}/members`, ids: [tenantIds], admin: true },
  { method: 'GET', path: ([id]) => `/admin/api/tenants/${id}/members`, ids: [tenantIds], admin: true },
  { method: 'POST', path: ([id]) => `/admin/api/members/${id}/deactivate`, ids: [[randomUUID()]], admin: true },
  { method: 'POST', path: ([id]) => `/admin/api/members/${id}/activate`, ids: [memberIds], admin: true },
  { method: 'GET', path: ([id]) => `/admin/api/tenants/${id}/dead-letters`, ids: [tenantIds], admin: true },
  { method: 'GET', path: ([id]) => `/admin/api/tenants/${id}/audit`, ids: [tenantIds], admin: true },
  { method: 'PUT', path: ([id]) => `/webhooks/lark/${id}`, ids: [connectionIds] },
]

const failures: string[] = []
const statuses: Record<string, Record<number, number>> = {}

describe('fuzz: hostile requests never answer 5xx', () => {
  for (const route of routes) {
    const label = `${route.method} ${route.path(route.ids.map(() => ':id'))}`
    it(label, async () => {
      const segments = fc.tuple(...route.ids.map((real) => idSegment(real)))
      const before = failures.length
      const result = await fc.check(
        fc.asyncProperty(segments, queryString, body, contentType, extraHeaders, async (ids, query, payload, type, headers) => {
          const url = route.path(ids as string[]) + query
          const response = await env.app.inject({
            method: route.method,
            url,
            headers: {
              ...headers,
              ...(route.admin ? { authorization: `Bearer ${TEST_ADMIN_TOKEN}` } : {}),
              ...(type ? { 'content-type': type } : {}),
            },
            ...(payload === undefined || route.method === 'GET' ? {} : { payload }),
          })
          statuses[label] ??= {}
          statuses[label][response.statusCode] = (statuses[label][response.statusCode] ?? 0) + 1
          if (response.statusCode >= 500) {
            const shown = typeof payload === 'string' ? payload.slice(0, 120) : payload === undefined ? '' : `<${payload.length} bytes>`
            failures.push(`${route.method} ${url.slice(0, 120)} [${type}] ${shown} → ${response.statusCode} ${response.body.slice(0, 200)}`)
          }
          return response.statusCode < 500
        }),
        { numRuns: RUNS, endOnFailure: true },
      )
      // The first failing input, shortened: counterexamples can be megabytes of XML.
      expect(failures.slice(before), `seed ${result.seed}`).toEqual([])
      expect(result.failed, result.errorInstance ? String(result.errorInstance).slice(0, 300) : '').toBe(false)
    })
  }

  // Past the signature: what a leaked key (or a platform bug) could send. Signed and encrypted
  // correctly, with random plaintext inside.
  const plaintext = fc.oneof(
    fc.json({ maxDepth: 5 }),
    shapedObject.map((o) => JSON.stringify(o)),
    fc.record({ schema: fc.constant('2.0'), header: shapedObject, event: fc.oneof(shapedObject, fc.record({ sender: shapedObject, message: shapedObject })) }).map((o) => JSON.stringify(o)),
    fc.record({ msgid: oddValue, chattype: fc.constantFrom('group', 'single', 'x'), chatid: oddValue, from: shapedObject, msgtype: fc.constantFrom('text', 'mixed', 'event'), text: shapedObject, mixed: shapedObject, response_url: oddValue }).map((o) => JSON.stringify(o)),
    hostileXml,
    fc.string({ maxLength: 300 }).map((t) => `<xml><ToUserName>${t}</ToUserName><FromUserName>${t}</FromUserName><CreateTime>${t}</CreateTime><MsgType>text</MsgType><Content>${t}</Content><MsgId>${t}</MsgId></xml>`),
  )

  it('signed Lark deliveries with random plaintext', async () => {
    const before = failures.length
    const result = await fc.check(
      fc.asyncProperty(plaintext, async (plain) => {
        const request = signedLarkRequest(lark.connection.id, {})
        const payload = Buffer.from(JSON.stringify({ encrypt: encryptLarkEvent(plain, larkCredentials.encryptKey) }))
        const timestamp = request.headers['x-lark-request-timestamp']
        const nonce = request.headers['x-lark-request-nonce']
        const response = await env.app.inject({ ...request, payload, headers: { ...request.headers, 'x-lark-signature': larkSignature(timestamp, nonce, larkCredentials.encryptKey, payload) } })
        if (response.statusCode >= 500) failures.push(`signed Lark ${plain.slice(0, 160)} → ${response.statusCode}`)
        return response.statusCode < 500
      }),
      { numRuns: RUNS, endOnFailure: true },
    )
    expect(failures.slice(before), `seed ${result.seed}`).toEqual([])
  })

  it('signed WeCom robot and app deliveries with random plaintext', async () => {
    const before = failures.length
    const result = await fc.check(
      fc.asyncProperty(plaintext, fc.boolean(), async (plain, asApp) => {
        const creds = asApp ? wecomAppCredentials : wecomCredentials
        const connectionId = asApp ? wecomApp.connection.id : wecom.connection.id
        const encrypt = encryptWecom(creds.encodingAESKey, plain, creds.receiveId)
        const timestamp = String(Math.floor(Date.now() / 1000))
        const query = `msg_signature=${wecomSignature(creds.token, timestamp, 'n1', encrypt)}&timestamp=${timestamp}&nonce=n1`
        const response = await env.app.inject({
          method: 'POST',
          url: `/webhooks/wecom/${connectionId}?${query}`,
          payload: asApp ? `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>` : JSON.stringify({ encrypt }),
          headers: { 'content-type': asApp ? 'text/xml' : 'application/json' },
        })
        if (response.statusCode >= 500) failures.push(`signed WeCom ${asApp ? 'app' : 'robot'} ${plain.slice(0, 160)} → ${response.statusCode}`)
        return response.statusCode < 500
      }),
      { numRuns: RUNS, endOnFailure: true },
    )
    expect(failures.slice(before), `seed ${result.seed}`).toEqual([])
  })

  it('a signed Lark event with NUL bytes and lone surrogates in its text and ids is refused or stored, never a 500', async () => {
    const texts = ['报修\u0000漏水', '\ud800', 'a\u0000', '\u0000'.repeat(100)]
    for (const text of texts) {
      const event = larkMessageEvent({ chatId: lark.chatId, text, messageId: `om_\u0000${randomUUID()}`, sender: 'ou_\u0000x' })
      const response = await env.app.inject(signedLarkRequest(lark.connection.id, event))
      expect(response.statusCode, response.body).toBeLessThan(500)
    }
  })

  it('the server still answers afterwards', async () => {
    if (process.env.FUZZ_DEBUG) console.log(JSON.stringify(statuses, null, 1))
    expect(failures).toEqual([])
    const health = await env.app.inject({ method: 'GET', url: '/healthz' })
    expect(health.statusCode).toBe(200)
    const ready = await env.app.inject({ method: 'GET', url: '/readyz' })
    expect(ready.json()).toMatchObject({ ready: true })
  })
})
