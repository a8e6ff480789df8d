import { createHash, randomBytes } from 'node:crypto'
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import { imageFormat, parseMultipart } from './multipart.ts'

/**
 * A local WeCom that checks requests the way the real one does (platforms.md §1.7, §2.1, §2.3): the
 * webhook key, body shape and byte limits, 20 messages per minute per key (45009 beyond), and
 * single-use response_urls valid one hour; for self-built apps, gettoken (corpid + app Secret →
 * access_token with an expiry) and message/send (token, agentid, touser, 2048-byte markdown).
 * Pictures: a webhook image message must carry base64 of a PNG/JPG of at most 2 MB and the md5 of
 * those raw bytes; an app uploads temporary media (multipart field "media" with a file name) and
 * sends an image message naming its media_id. Accepted messages are recorded; failures can be scripted.
 */

export interface WecomFailure {
  /** HTTP status; 200 when only an errcode is given (WeCom answers errors with 200), 500 by default. */
  status?: number
  errcode?: number
  errmsg?: string
  /** Drop the connection instead of answering. */
  network?: boolean
  /** Only requests to this path fail, e.g. '/cgi-bin/gettoken'; every endpoint when absent. */
  path?: string
}

export interface RecordedWecomMessage {
  /** The webhook key, or undefined for response_url answers and app messages. */
  key?: string
  responseCode?: string
  /** App messages (message/send): the recipient userid(s) and the sending app. */
  touser?: string
  agentid?: number
  msgtype: string
  /** Text content; for pictures, the md5 of the picture's bytes. */
  content: string
  body: any
  at: number
  /** The picture of an image message, decoded (webhook) or as uploaded (app). */
  image?: Buffer
}

/** A self-built app the fake knows: gettoken wants its corpId and Secret. */
export interface FakeWecomApp {
  corpId: string
  corpSecret: string
  agentId: number
  /** Members the app can reach; any userid when absent. */
  users?: string[]
}

export interface IssuedWecomToken {
  token: string
  corpId: string
  agentId: number
  expiresAt: number
  revoked: boolean
}

export interface FakeWecomOptions {
  keys?: string[]
  apps?: FakeWecomApp[]
  /** expires_in of issued access tokens; WeCom's is 7200 s (platforms.md §1.7). */
  tokenTtlSeconds?: number
  perMinute?: number
  /** Drives the rate-limit window and response_url expiry; a ManualClock fits. */
  clock?: { now(): Date }
}

export interface FakeWecom {
  url: string
  messages: RecordedWecomMessage[]
  /** Temporary media uploaded by apps, by media_id. */
  media: Map<string, { fileName: string; bytes: Buffer }>
  /** Every access_token handed out by gettoken, oldest first. */
  tokens: IssuedWecomToken[]
  /** A fresh single-use response_url, as a robot callback carries. */
  issueResponseUrl(): string
  /** Every issued token fails from now on with 42001 (expired), though clients still think it valid. */
  expireTokens(): void
  /** Every issued token fails from now on with 40014 (invalid), as after a Secret reset. */
  revokeTokens(): void
  failNext(count: number, failure: WecomFailure): void
  permanentFailure(failure: WecomFailure | null): void
  close(): Promise<void>
}

/** Our fake's answer to a used or expired response_url (the real errcode is not documented). */
export const RESPONSE_URL_USED_ERRCODE = 93000

const LIMITS: Record<string, number> = { text: 2048, markdown: 4096, markdown_v2: 4096, image: 0 }
/** message/send: text and markdown content are both limited to 2048 bytes. */
const APP_LIMITS: Record<string, number> = { text: 2048, markdown: 2048, image: 0 }
const IMAGE_MAX_BYTES = 2 * 1024 * 1024
const RESPONSE_URL_TTL_MS = 60 * 60 * 1000

export async function startFakeWecom(options: FakeWecomOptions = {}): Promise<FakeWecom> {
  const keys = new Set(options.keys ?? ['test-webhook-key-0001'])
  const perMinute = options.perMinute ?? 20
  const now = () => (options.clock ? options.clock.now().getTime() : Date.now())
  const sentAt = new Map<string, number[]>()
  const responseCodes = new Map<string, { issuedAt: number; used: boolean }>()
  const messages: RecordedWecomMessage[] = []
  const scripted: WecomFailure[] = []
  let permanent: WecomFailure | null = null
  const apps = options.apps ?? []
  const tokenTtlSeconds = options.tokenTtlSeconds ?? 7200
  const tokens: IssuedWecomToken[] = []
  const media = new Map<string, { fileName: string; bytes: Buffer }>()

  // A 2 MB picture is about 2.7 MB of base64 inside the JSON body.
  const app = Fastify({ logger: false, bodyLimit: 4 << 20 })
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body))
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_req, body, done) => done(null, body))

  function error(reply: FastifyReply, errcode: number, errmsg: string) {
    return reply.send({ errcode, errmsg })
  }

  function scriptedFailure(request: FastifyRequest, reply: FastifyReply): boolean {
    const path = request.url.split('?')[0]
    const applies = (f: WecomFailure) => f.path === undefined || f.path === path
    const index = scripted.findIndex(applies)
    const failure = index >= 0 ? scripted.splice(index, 1)[0] : permanent && applies(permanent) ? permanent : null
    if (!failure) return false
    if (failure.network) {
      request.raw.socket.destroy()
      return true
    }
    const status = failure.status ?? (failure.errcode !== undefined ? 200 : 500)
    reply.code(status)
    if (failure.errcode !== undefined) reply.send({ errcode: failure.errcode, errmsg: failure.errmsg ?? 'scripted failure' })
    else reply.type('text/plain').send(failure.errmsg ?? 'scripted failure')
    return true
  }

  /** Checks the message body; returns an errcode answer or what to record. */
  /** Webhook image: base64 of a PNG/JPG of at most 2 MB, and the md5 of the raw bytes. App image: an uploaded media_id. */
  function checkImage(body: any, limits: Record<string, number>): { error: [number, string] } | { msgtype: string; content: string; body: any; image: Buffer } {
    if (limits === APP_LIMITS) {
      const uploaded = media.get(body.image?.media_id)
      if (!uploaded) return { error: [40007, 'invalid media_id'] }
      return { msgtype: 'image', content: createHash('md5').update(uploaded.bytes).digest('hex'), body, image: uploaded.bytes }
    }
    const { base64, md5 } = body.image ?? {}
    if (typeof base64 !== 'string' || typeof md5 !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return { error: [40008, 'invalid image'] }
    const bytes = Buffer.from(base64, 'base64')
    if (bytes.length > IMAGE_MAX_BYTES) return { error: [93018, 'image too large'] }
    if (!imageFormat(bytes)) return { error: [40008, 'image must be jpg or png'] }
    if (createHash('md5').update(bytes).digest('hex') !== md5.toLowerCase()) return { error: [40008, 'image md5 mismatch'] }
    return { msgtype: 'image', content: md5.toLowerCase(), body, image: bytes }
  }

  function checkBody(raw: unknown, limits = LIMITS): { error: [number, string] } | { msgtype: string; content: string; body: any; image?: Buffer } {
    if (typeof raw !== 'string' || raw.trim() === '') return { error: [93017, 'empty request body'] }
    let body: any
    try {
      body = JSON.parse(raw)
    } catch {
      return { error: [40008, 'invalid message body'] }
    }
    const msgtype = body?.msgtype
    if (!(msgtype in limits)) return { error: [40008, `invalid message type ${String(msgtype)}`] }
    if (msgtype === 'image') return checkImage(body, limits)
    const content = body[msgtype]?.content
    if (typeof content !== 'string' || content === '') return { error: [44004, 'empty content'] }
    if (Buffer.byteLength(content, 'utf8') > limits[msgtype]) return { error: [45002, 'content size out of limit'] }
    return { msgtype, content, body }
  }

  app.post('/cgi-bin/webhook/send', async (request, reply) => {
    if (scriptedFailure(request, reply)) return reply
    const key = (request.query as Record<string, string>).key ?? ''
    if (!keys.has(key)) return error(reply, 93000, 'invalid webhook url')
    const checked = checkBody(request.body)
    if ('error' in checked) return error(reply, ...checked.error)
    const at = now()
    const recent = (sentAt.get(key) ?? []).filter((t) => t > at - 60_000)
    if (recent.length >= perMinute) return error(reply, 45009, 'api freq out of limit')
    sentAt.set(key, [...recent, at])
    messages.push({ key, msgtype: checked.msgtype, content: checked.content, body: checked.body, at, image: checked.image })
    return reply.send({ errcode: 0, errmsg: 'ok' })
  })

  app.post('/cgi-bin/aibot/response', async (request, reply) => {
    if (scriptedFailure(request, reply)) return reply
    const code = (request.query as Record<string, string>).response_code ?? ''
    const issued = responseCodes.get(code)
    const at = now()
    if (!issued || issued.used || at - issued.issuedAt > RESPONSE_URL_TTL_MS) {
      return error(reply, RESPONSE_URL_USED_ERRCODE, 'response_url invalid, used or expired')
    }
    const checked = checkBody(request.body)
    if ('error' in checked) return error(reply, ...checked.error)
    issued.used = true
    messages.push({ responseCode: code, msgtype: checked.msgtype, content: checked.content, body: checked.body, at })
    return reply.send({ errcode: 0, errmsg: 'ok' })
  })

  app.get('/cgi-bin/gettoken', async (request, reply) => {
    if (scriptedFailure(request, reply)) return reply
    const query = request.query as Record<string, string>
    if (!query.corpid) return error(reply, 41002, 'corpid missing')
    if (!query.corpsecret) return error(reply, 41004, 'corpsecret missing')
    const known = apps.filter((a) => a.corpId === query.corpid)
    if (known.length === 0) return error(reply, 40013, 'invalid corpid')
    const match = known.find((a) => a.corpSecret === query.corpsecret)
    if (!match) return error(reply, 40001, 'invalid credential')
    const issued = { token: randomBytes(24).toString('hex'), corpId: match.corpId, agentId: match.agentId, expiresAt: now() + tokenTtlSeconds * 1000, revoked: false }
    tokens.push(issued)
    return reply.send({ errcode: 0, errmsg: 'ok', access_token: issued.token, expires_in: tokenTtlSeconds })
  })

  app.post('/cgi-bin/media/upload', async (request, reply) => {
    if (scriptedFailure(request, reply)) return reply
    const query = request.query as Record<string, string>
    const issued = tokens.find((t) => t.token === query.access_token)
    if (!issued || issued.revoked) return error(reply, 40014, 'invalid access_token')
    if (now() >= issued.expiresAt) return error(reply, 42001, 'access_token expired')
    if (!['image', 'voice', 'video', 'file'].includes(query.type)) return error(reply, 40004, 'invalid media type')
    const form = Buffer.isBuffer(request.body) ? parseMultipart(request.headers['content-type'], request.body) : null
    const file = form?.get('media')
    if (!file || !file.fileName) return error(reply, 41005, 'media data missing')
    if (file.data.length <= 5) return error(reply, 40005, 'invalid file size')
    if (query.type === 'image' && (file.data.length > IMAGE_MAX_BYTES || !imageFormat(file.data))) return error(reply, 40009, 'invalid image size or format')
    const mediaId = randomBytes(24).toString('base64url')
    media.set(mediaId, { fileName: file.fileName, bytes: Buffer.from(file.data) })
    return reply.send({ errcode: 0, errmsg: 'ok', type: query.type, media_id: mediaId, created_at: String(Math.floor(now() / 1000)) })
  })

  app.post('/cgi-bin/message/send', async (request, reply) => {
    if (scriptedFailure(request, reply)) return reply
    const token = (request.query as Record<string, string>).access_token
    if (!token) return error(reply, 41001, 'access_token missing')
    const issued = tokens.find((t) => t.token === token)
    if (!issued || issued.revoked) return error(reply, 40014, 'invalid access_token')
    const at = now()
    if (at >= issued.expiresAt) return error(reply, 42001, 'access_token expired')
    const checked = checkBody(request.body, APP_LIMITS)
    if ('error' in checked) return error(reply, ...checked.error)
    const { agentid, touser } = checked.body
    if (agentid === undefined) return error(reply, 41011, 'missing agentid')
    if (agentid !== issued.agentId) return error(reply, 40056, 'invalid agentid')
    if (typeof touser !== 'string' || touser === '') return error(reply, 81013, 'user & party & tag all invalid')
    // Unreachable members are listed; when none is left, the whole call fails with 81013.
    const users = apps.find((a) => a.corpId === issued.corpId && a.agentId === issued.agentId)?.users
    const recipients = touser.split('|')
    const invalid = users ? recipients.filter((u) => !users.includes(u)) : []
    if (invalid.length === recipients.length) return error(reply, 81013, 'user & party & tag all invalid')
    messages.push({ touser, agentid, msgtype: checked.msgtype, content: checked.content, body: checked.body, at, image: checked.image })
    return reply.send({ errcode: 0, errmsg: 'ok', invaliduser: invalid.join('|'), msgid: randomBytes(16).toString('base64url') })
  })

  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return {
    url,
    messages,
    media,
    tokens,
    issueResponseUrl() {
      const code = randomBytes(12).toString('hex')
      responseCodes.set(code, { issuedAt: now(), used: false })
      return `${url}/cgi-bin/aibot/response?response_code=${code}`
    },
    expireTokens() {
      for (const issued of tokens) issued.expiresAt = Math.min(issued.expiresAt, now())
    },
    revokeTokens() {
      for (const issued of tokens) issued.revoked = true
    },
    failNext(count, failure) {
      for (let i = 0; i < count; i++) scripted.push(failure)
    },
    permanentFailure(failure) {
      permanent = failure
    },
    close: () => app.close(),
  }
}
