import { PlatformError, secondsHeaderToMs, type FailureKind } from '../errors.ts'
import { guardedFetch } from '../outbound-guard.ts'
import { TokenCache } from '../token-cache.ts'

/** A rendered message (render.ts): `content` is the JSON string Lark expects (platforms.md §3.9). */
export interface LarkOutboundMessage {
  msg_type: 'text' | 'post' | 'interactive'
  content: string
}

// Business codes by treatment (platforms.md §3.9; token codes from the OpenAPI auth errors).
const THROTTLED_CODES = new Set([230020, 99991400, 11232])
const RETRYABLE_CODES = new Set([-1, 1, 230049])
const TOKEN_CODES = new Set([99991661, 99991663, 99991664, 99991665, 99991668])
const PERMANENT_CODES = new Set([
  10003, 10014, 230001, 230002, 230006, 230013, 230025, 230027, 230028, 230034, 230035, 230099,
])

/** One table for every Lark failure: HTTP status and business code → how the worker treats it. */
export function classifyLarkFailure(status: number | undefined, code: number | undefined): FailureKind {
  if (status === 429 || (code !== undefined && THROTTLED_CODES.has(code))) return 'throttled'
  if (code !== undefined && RETRYABLE_CODES.has(code)) return 'retryable'
  if (code !== undefined && (PERMANENT_CODES.has(code) || TOKEN_CODES.has(code))) return 'permanent'
  if (status === undefined || status >= 500) return 'retryable'
  return 'permanent'
}

// The tenant_access_token cache (keyed by API base URL and appId) under its historical name.
export { TokenCache as LarkTokenCache }

const sharedTokenCache = new TokenCache()

/** Refresh 3 minutes before `expire`, as node-sdk's token manager does (platforms.md §4). */
const REFRESH_MARGIN_MS = 3 * 60 * 1000

export interface LarkClientOptions {
  /** open.feishu.cn, open.larksuite.com, or a fake server (config LARK_API_BASE_URL). */
  baseUrl: string
  appId: string
  appSecret: string
  fetch?: typeof fetch
  now?: () => number
  timeoutMs?: number
  tokenCache?: TokenCache
}

interface LarkResponse {
  code?: number
  msg?: string
  [key: string]: unknown
}

export interface LarkSent {
  messageId: string
}

export interface LarkClient {
  getTenantToken(options?: { forceRefresh?: boolean }): Promise<string>
  sendToChat(chatId: string, message: LarkOutboundMessage, uuid: string): Promise<LarkSent>
  replyToMessage(messageId: string, message: LarkOutboundMessage, uuid: string): Promise<LarkSent>
  /** The bot's own open_id, to tell its @-mention from a member's (GET /open-apis/bot/v3/info). */
  getBotOpenId(): Promise<string>
  /** Uploads a picture for messages (POST /open-apis/im/v1/images, image_type=message) and returns its image_key. */
  uploadImage(image: Uint8Array<ArrayBuffer>, fileName: string): Promise<string>
}

/** im/v1/images refuses empty pictures and pictures over 10 MB. */
export const LARK_IMAGE_MAX_BYTES = 10 * 1024 * 1024

export function createLarkClient(options: LarkClientOptions): LarkClient {
  const base = options.baseUrl.replace(/\/+$/, '')
  const doFetch = guardedFetch('lark', base, options.fetch)
  const now = options.now ?? Date.now
  const timeoutMs = options.timeoutMs ?? 10_000
  const cache = options.tokenCache ?? sharedTokenCache
  const cacheKey = `${base}|${options.appId}`

  /**
   * POSTs JSON, or a multipart form (fetch sets its boundary), or GETs when body is undefined;
   * resolves with the parsed body when code is 0, throws a classified PlatformError otherwise.
   */
  async function post(path: string, body: unknown, what: string, token?: string): Promise<LarkResponse> {
    let response: Response
    const form = body instanceof FormData
    try {
      response = await doFetch(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          ...(body === undefined || form ? {} : { 'content-type': 'application/json; charset=utf-8' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : form ? body : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (cause) {
      if (cause instanceof PlatformError) throw cause // refused by the outbound guard: permanent
      throw new PlatformError(`Lark ${what}: network error`, { platform: 'lark', kind: 'retryable', cause })
    }
    const text = await response.text().catch(() => '')
    let parsed: LarkResponse | undefined
    try {
      parsed = JSON.parse(text) as LarkResponse
    } catch {
      parsed = undefined
    }
    const code = typeof parsed?.code === 'number' ? parsed.code : undefined
    if (response.ok && code === 0) return parsed!
    const retryAfterMs =
      secondsHeaderToMs(response.headers.get('x-ogw-ratelimit-reset')) ?? secondsHeaderToMs(response.headers.get('retry-after'))
    // A 2xx without a readable body is a proxy or gateway hiccup, worth another try.
    const kind = response.ok && code === undefined ? 'retryable' : classifyLarkFailure(response.status, code)
    const detail = code === undefined ? `HTTP ${response.status}` : `code ${code} ${String(parsed?.msg ?? '')}`.trim()
    throw new PlatformError(`Lark ${what} failed: ${detail}`, {
      platform: 'lark',
      kind,
      code,
      status: response.status,
      ...(kind === 'throttled' && retryAfterMs !== undefined ? { retryAfterMs } : {}),
    })
  }

  async function fetchToken(): Promise<string> {
    const started = now()
    const body = await post(
      '/open-apis/auth/v3/tenant_access_token/internal',
      { app_id: options.appId, app_secret: options.appSecret },
      'tenant_access_token',
    )
    const token = body.tenant_access_token
    const expire = body.expire
    if (typeof token !== 'string' || typeof expire !== 'number') {
      throw new PlatformError('Lark tenant_access_token: response without token or expire', { platform: 'lark', kind: 'retryable' })
    }
    cache.set(cacheKey, token, started + expire * 1000 - REFRESH_MARGIN_MS)
    return token
  }

  async function getTenantToken(opts: { forceRefresh?: boolean } = {}): Promise<string> {
    if (opts.forceRefresh) cache.delete(cacheKey)
    return cache.get(cacheKey, now()) ?? cache.once(cacheKey, fetchToken)
  }

  /** Calls with a token; on a token error (revoked, expired early) refreshes once and retries. */
  async function withToken(call: (token: string) => Promise<LarkResponse>): Promise<LarkResponse> {
    const token = await getTenantToken()
    try {
      return await call(token)
    } catch (error) {
      const tokenRejected = error instanceof PlatformError && (error.status === 401 || (error.code !== undefined && TOKEN_CODES.has(error.code)))
      if (!tokenRejected) throw error
      if (cache.get(cacheKey, now()) === token) cache.delete(cacheKey)
      return call(await getTenantToken())
    }
  }

  function sent(body: LarkResponse, what: string): LarkSent {
    const data = body.data as { message_id?: unknown } | undefined
    if (typeof data?.message_id !== 'string') {
      throw new PlatformError(`Lark ${what}: response without message_id`, { platform: 'lark', kind: 'retryable' })
    }
    return { messageId: data.message_id }
  }

  function checkUuid(uuid: string): void {
    // Lark dedupes by uuid for one hour; it accepts at most 50 characters (platforms.md §3.9).
    if (uuid.length === 0 || uuid.length > 50) throw new RangeError('uuid must be 1..50 characters')
  }

  return {
    getTenantToken,

    async sendToChat(chatId, message, uuid) {
      checkUuid(uuid)
      const body = { receive_id: chatId, msg_type: message.msg_type, content: message.content, uuid }
      const path = '/open-apis/im/v1/messages?receive_id_type=chat_id'
      return sent(await withToken((token) => post(path, body, 'send message', token)), 'send message')
    },

    async replyToMessage(messageId, message, uuid) {
      checkUuid(uuid)
      const body = { msg_type: message.msg_type, content: message.content, uuid }
      const path = `/open-apis/im/v1/messages/${encodeURIComponent(messageId)}/reply`
      return sent(await withToken((token) => post(path, body, 'reply', token)), 'reply')
    },

    async uploadImage(image, fileName) {
      if (image.byteLength === 0 || image.byteLength > LARK_IMAGE_MAX_BYTES) {
        throw new PlatformError(`Lark image upload: ${image.byteLength} bytes is outside 1 byte..10 MB`, { platform: 'lark', kind: 'permanent' })
      }
      const body = await withToken((token) => {
        // A fresh form per attempt: a retried request must not reuse a consumed body.
        const form = new FormData()
        form.append('image_type', 'message')
        form.append('image', new Blob([image], { type: 'image/png' }), fileName)
        return post('/open-apis/im/v1/images', form, 'image upload', token)
      })
      const key = (body.data as { image_key?: unknown } | undefined)?.image_key
      if (typeof key !== 'string' || !key) throw new PlatformError('Lark image upload: response without image_key', { platform: 'lark', kind: 'retryable' })
      return key
    },

    async getBotOpenId() {
      const body = await withToken((token) => post('/open-apis/bot/v3/info', undefined, 'bot info', token))
      const openId = (body.bot as { open_id?: unknown } | undefined)?.open_id
      if (typeof openId !== 'string' || !openId) throw new PlatformError('Lark bot info: response without open_id', { platform: 'lark', kind: 'retryable' })
      return openId
    },
  }
}
