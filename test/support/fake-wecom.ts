import { randomBytes } from 'node:crypto'
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'

/**
 * A local WeCom that checks requests the way the real one does (platforms.md §2.1, §2.3): the
 * webhook key, body shape and byte limits, 20 messages per minute per key (45009 beyond), and
 * single-use response_urls valid one hour. Accepted messages are recorded; failures can be scripted.
 */

export interface WecomFailure {
  /** HTTP status; 200 when only an errcode is given (WeCom answers errors with 200), 500 by default. */
  status?: number
  errcode?: number
  errmsg?: string
  /** Drop the connection instead of answering. */
  network?: boolean
}

export interface RecordedWecomMessage {
  /** The webhook key, or undefined for response_url answers. */
  key?: string
  responseCode?: string
  msgtype: string
  content: string
  body: any
  at: number
}

export interface FakeWecomOptions {
  keys?: string[]
  perMinute?: number
  /** Drives the rate-limit window and response_url expiry; a ManualClock fits. */
  clock?: { now(): Date }
}

export interface FakeWecom {
  url: string
  messages: RecordedWecomMessage[]
  /** A fresh single-use response_url, as a robot callback carries. */
  issueResponseUrl(): string
  failNext(count: number, failure: WecomFailure): void
  permanentFailure(failure: WecomFailure | null): void
  close(): Promise<void>
}

/** Our fake's answer to a used or expired response_url (the real errcode is not documented). */
export const RESPONSE_URL_USED_ERRCODE = 93000

const LIMITS: Record<string, number> = { text: 2048, markdown: 4096, markdown_v2: 4096 }
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

  const app = Fastify({ logger: false, bodyLimit: 1 << 20 })
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body))

  function error(reply: FastifyReply, errcode: number, errmsg: string) {
    return reply.send({ errcode, errmsg })
  }

  function scriptedFailure(request: FastifyRequest, reply: FastifyReply): boolean {
    const failure = scripted.shift() ?? permanent
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
  function checkBody(raw: unknown): { error: [number, string] } | { msgtype: string; content: string; body: any } {
    if (typeof raw !== 'string' || raw.trim() === '') return { error: [93017, 'empty request body'] }
    let body: any
    try {
      body = JSON.parse(raw)
    } catch {
      return { error: [40008, 'invalid message body'] }
    }
    const msgtype = body?.msgtype
    if (!(msgtype in LIMITS)) return { error: [40008, `invalid message type ${String(msgtype)}`] }
    const content = body[msgtype]?.content
    if (typeof content !== 'string' || content === '') return { error: [44004, 'empty content'] }
    if (Buffer.byteLength(content, 'utf8') > LIMITS[msgtype]) return { error: [45002, 'content size out of limit'] }
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
    messages.push({ key, msgtype: checked.msgtype, content: checked.content, body: checked.body, at })
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

  const url = await app.listen({ host: '127.0.0.1', port: 0 })
  return {
    url,
    messages,
    issueResponseUrl() {
      const code = randomBytes(12).toString('hex')
      responseCodes.set(code, { issuedAt: now(), used: false })
      return `${url}/cgi-bin/aibot/response?response_code=${code}`
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
