import { randomBytes } from 'node:crypto'
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import { imageFormat, parseMultipart } from './multipart.ts'

/**
 * A local Lark OpenAPI that checks requests the way the real one does (platforms.md §3.9):
 * app credentials on the token endpoint, Bearer tokens, receive_id_type, msg_type + content JSON
 * string, body size limits, uuid dedupe; image uploads (multipart image_type=message + image, at
 * most 10 MB) whose image_key a card's img element must name; optionally the app-wide send rate
 * (50/s and 1,000/min, 230020 beyond). It records accepted messages and can be scripted to fail.
 */

export interface LarkFailure {
  /** HTTP status; 400 when only a code is given, 500 by default. */
  status?: number
  code?: number
  msg?: string
  headers?: Record<string, string>
  /** Drop the connection instead of answering. */
  network?: boolean
  /** Which endpoint fails: message endpoints by default. */
  endpoint?: 'token' | 'messages'
}

export interface RecordedLarkMessage {
  messageId: string
  /** chat_id for sends; absent for replies. */
  receiveId?: string
  receiveIdType?: string
  /** The replied-to message for replies. */
  replyTo?: string
  msgType: string
  /** The parsed content JSON. */
  content: any
  uuid?: string
  appId: string
  /** When the fake accepted it (epoch ms). */
  at: number
}

export interface RecordedLarkImage {
  imageKey: string
  fileName?: string
  bytes: Buffer
}

export interface FakeLarkOptions {
  /** The open_id /open-apis/bot/v3/info reports for the app's bot. */
  botOpenId?: string
  appId?: string
  appSecret?: string
  tokenTtlSeconds?: number
  /** When given, sends to other chat ids fail with 230002 (bot not in group). */
  chats?: string[]
  now?: () => number
  /** Enforce the app-wide send rate (platforms.md §3.9: 50 a second, 1,000 a minute) with 230020. */
  appRateLimit?: { perSecond: number; perMinute: number }
}

export interface FakeLark {
  url: string
  appId: string
  appSecret: string
  messages: RecordedLarkMessage[]
  images: RecordedLarkImage[]
  /** Sends refused by the app-wide rate limit. */
  readonly throttled: number
  /** Number of tenant_access_token requests served (successful or not). */
  readonly tokenRequests: number
  failNext(count: number, failure: LarkFailure): void
  permanentFailure(failure: LarkFailure | null): void
  /** Makes every issued token invalid (99991663), as after a server-side expiry. */
  revokeTokens(): void
  close(): Promise<void>
}

const RECEIVE_ID_TYPES = new Set(['chat_id', 'open_id', 'user_id', 'union_id', 'email'])
const LIMITS: Record<string, number> = { text: 150 * 1024, post: 30 * 1024, interactive: 30 * 1024, image: 30 * 1024 }
const IMAGE_MAX_BYTES = 10 * 1024 * 1024

export async function startFakeLark(options: FakeLarkOptions = {}): Promise<FakeLark> {
  const botOpenId = options.botOpenId ?? 'ou_frontdesk_bot'
  const appId = options.appId ?? 'cli_a1b2c3d4e5f60718'
  const appSecret = options.appSecret ?? 'fake-app-secret'
  const ttl = options.tokenTtlSeconds ?? 7200
  const now = options.now ?? Date.now
  const tokens = new Map<string, number>()
  const uuids = new Map<string, string>()
  const messages: RecordedLarkMessage[] = []
  const images: RecordedLarkImage[] = []
  const sentAt: number[] = []
  let throttled = 0
  const scripted: LarkFailure[] = []
  let permanent: LarkFailure | null = null
  let tokenRequests = 0

  const app = Fastify({ logger: false, bodyLimit: 1 << 20 })
  // Keep the raw body: size limits apply to the request bytes.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body))
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: IMAGE_MAX_BYTES + (1 << 16) }, (_req, body, done) => done(null, body))

  function fail(reply: FastifyReply, code: number, msg: string, status = 400) {
    return reply.code(status).send({ code, msg })
  }

  /** Applies a scripted failure for this endpoint, if any; returns true when it answered. */
  function scriptedFailure(request: FastifyRequest, reply: FastifyReply, endpoint: 'token' | 'messages'): boolean {
    const index = scripted.findIndex((f) => (f.endpoint ?? 'messages') === endpoint)
    const failure = index >= 0 ? scripted.splice(index, 1)[0] : permanent && (permanent.endpoint ?? 'messages') === endpoint ? permanent : null
    if (!failure) return false
    if (failure.network) {
      request.raw.socket.destroy()
      return true
    }
    const status = failure.status ?? (failure.code !== undefined ? 400 : 500)
    reply.code(status).headers(failure.headers ?? {})
    if (failure.code !== undefined) reply.send({ code: failure.code, msg: failure.msg ?? 'scripted failure' })
    else reply.type('text/plain').send(failure.msg ?? 'scripted failure')
    return true
  }

  function parseJson(body: unknown): any {
    try {
      return typeof body === 'string' ? JSON.parse(body) : undefined
    } catch {
      return undefined
    }
  }

  function hasValidToken(request: FastifyRequest): boolean {
    const match = /^Bearer (t-[0-9a-f]+)$/.exec(request.headers.authorization ?? '')
    const expiresAt = match ? tokens.get(match[1]) : undefined
    return expiresAt !== undefined && expiresAt > now()
  }

  /** Checks msg_type and content as the send API does; returns an error answer or the parsed content. */
  function checkContent(raw: string, body: any): { error: [number, string] } | { content: any } {
    const msgType = body?.msg_type
    if (!(msgType in LIMITS)) return { error: [230001, `unsupported msg_type ${String(msgType)}`] }
    if (typeof body.content !== 'string') return { error: [230001, 'content must be a JSON string'] }
    if (Buffer.byteLength(raw, 'utf8') > LIMITS[msgType]) return { error: [230025, 'message content too long'] }
    const content = parseJson(body.content)
    if (typeof content !== 'object' || content === null) return { error: [230001, 'content is not JSON'] }
    const valid =
      msgType === 'text'
        ? typeof content.text === 'string' && content.text.length > 0
        : msgType === 'post'
          ? Object.values(content).some((post: any) => Array.isArray(post?.content))
          : msgType === 'image'
            ? typeof content.image_key === 'string'
            : Array.isArray(content.elements) || typeof content.body === 'object'
    if (!valid) return { error: [230001, `content does not match msg_type ${msgType}`] }
    // A picture must be one this app uploaded: an image message's image_key, a card's img elements.
    const imageKeys = msgType === 'image' ? [content.image_key] : msgType === 'interactive' ? (content.elements ?? []).filter((e: any) => e?.tag === 'img').map((e: any) => e.img_key) : []
    if (imageKeys.some((key: unknown) => !images.some((i) => i.imageKey === key))) return { error: [230099, 'image_key not found'] }
    if (body.uuid !== undefined && (typeof body.uuid !== 'string' || body.uuid.length > 50)) return { error: [230001, 'bad uuid'] }
    return { content }
  }

  /** The app-wide budget over the last second and minute; true when this send is over it. */
  function overAppLimit(): boolean {
    if (!options.appRateLimit) return false
    const at = now()
    while (sentAt.length && sentAt[0] <= at - 60_000) sentAt.shift()
    const lastSecond = sentAt.filter((t) => t > at - 1000).length
    if (lastSecond >= options.appRateLimit.perSecond || sentAt.length >= options.appRateLimit.perMinute) return true
    sentAt.push(at)
    return false
  }

  function accept(reply: FastifyReply, record: Omit<RecordedLarkMessage, 'messageId' | 'at'>) {
    if (overAppLimit()) {
      throttled++
      return fail(reply, 230020, 'frequency limit', 400)
    }
    const existing = record.uuid ? uuids.get(record.uuid) : undefined
    // uuid: at most one message per uuid within an hour; a repeat answers with the first message.
    const messageId = existing ?? `om_${randomBytes(12).toString('hex')}`
    if (!existing) {
      messages.push({ messageId, ...record, at: now() })
      if (record.uuid) uuids.set(record.uuid, messageId)
    }
    return reply.send({ code: 0, msg: 'success', data: { message_id: messageId, msg_type: record.msgType } })
  }

  app.post('/open-apis/auth/v3/tenant_access_token/internal', async (request, reply) => {
    tokenRequests++
    if (scriptedFailure(request, reply, 'token')) return reply
    const body = parseJson(request.body)
    if (typeof body?.app_id !== 'string' || typeof body?.app_secret !== 'string') return fail(reply, 10003, 'invalid param')
    if (body.app_id !== appId || body.app_secret !== appSecret) return fail(reply, 10014, 'app secret invalid')
    const token = `t-${randomBytes(16).toString('hex')}`
    tokens.set(token, now() + ttl * 1000)
    return reply.send({ code: 0, msg: 'ok', tenant_access_token: token, expire: ttl })
  })

  app.post('/open-apis/im/v1/messages', async (request, reply) => {
    if (scriptedFailure(request, reply, 'messages')) return reply
    if (!hasValidToken(request)) return fail(reply, 99991663, 'Invalid access token for authorization', 400)
    const receiveIdType = (request.query as Record<string, string>).receive_id_type
    if (!RECEIVE_ID_TYPES.has(receiveIdType)) return fail(reply, 230001, 'invalid receive_id_type')
    const raw = String(request.body ?? '')
    const body = parseJson(raw)
    if (typeof body?.receive_id !== 'string' || body.receive_id === '') return fail(reply, 230001, 'receive_id required')
    if (receiveIdType === 'chat_id' && options.chats && !options.chats.includes(body.receive_id)) {
      return fail(reply, 230002, 'Bot/User can NOT be out of the chat.')
    }
    const checked = checkContent(raw, body)
    if ('error' in checked) return fail(reply, ...checked.error)
    return accept(reply, { receiveId: body.receive_id, receiveIdType, msgType: body.msg_type, content: checked.content, uuid: body.uuid, appId })
  })

  app.post('/open-apis/im/v1/messages/:messageId/reply', async (request, reply) => {
    if (scriptedFailure(request, reply, 'messages')) return reply
    if (!hasValidToken(request)) return fail(reply, 99991663, 'Invalid access token for authorization', 400)
    const { messageId } = request.params as { messageId: string }
    if (!messageId.startsWith('om_')) return fail(reply, 230001, 'invalid message_id')
    const raw = String(request.body ?? '')
    const body = parseJson(raw)
    const checked = checkContent(raw, body)
    if ('error' in checked) return fail(reply, ...checked.error)
    return accept(reply, { replyTo: messageId, msgType: body.msg_type, content: checked.content, uuid: body.uuid, appId })
  })

  app.post('/open-apis/im/v1/images', async (request, reply) => {
    if (scriptedFailure(request, reply, 'messages')) return reply
    if (!hasValidToken(request)) return fail(reply, 99991663, 'Invalid access token for authorization', 400)
    const form = Buffer.isBuffer(request.body) ? parseMultipart(request.headers['content-type'], request.body) : null
    if (!form) return fail(reply, 234001, 'Invalid request param: multipart/form-data expected')
    if (form.get('image_type')?.data.toString() !== 'message') return fail(reply, 234001, 'Invalid request param: image_type')
    const image = form.get('image')
    if (!image || image.fileName === undefined) return fail(reply, 234001, 'Invalid request param: image file missing')
    if (image.data.length === 0) return fail(reply, 234010, 'File size is zero')
    if (image.data.length > IMAGE_MAX_BYTES) return fail(reply, 234006, 'The file size exceeds the limit')
    if (!imageFormat(image.data)) return fail(reply, 234011, "Can't recognize image format")
    const imageKey = `img_v3_${randomBytes(12).toString('hex')}`
    images.push({ imageKey, fileName: image.fileName, bytes: Buffer.from(image.data) })
    return reply.send({ code: 0, msg: 'success', data: { image_key: imageKey } })
  })

  app.get('/open-apis/bot/v3/info', async (request, reply) => {
    if (!hasValidToken(request)) return fail(reply, 99991663, 'Invalid access token for authorization', 400)
    return reply.send({ code: 0, msg: 'ok', bot: { activate_status: 2, app_name: 'frontdesk', open_id: botOpenId, ip_white_list: [] } })
  })

  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  return {
    url: address,
    appId,
    appSecret,
    messages,
    images,
    get throttled() {
      return throttled
    },
    get tokenRequests() {
      return tokenRequests
    },
    failNext(count, failure) {
      for (let i = 0; i < count; i++) scripted.push(failure)
    },
    permanentFailure(failure) {
      permanent = failure
    },
    revokeTokens() {
      tokens.clear()
    },
    close: () => app.close(),
  }
}
