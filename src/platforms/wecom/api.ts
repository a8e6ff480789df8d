import { createHash } from 'node:crypto'
import { PlatformError, type FailureKind } from '../errors.ts'
import { guardedFetch, maskUrl } from '../outbound-guard.ts'

/** Bodies frontdesk sends to a webhook or a response_url (platforms.md §2.1, §2.3). */
export type WecomOutboundBody =
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'text'; text: { content: string; mentioned_list?: string[]; mentioned_mobile_list?: string[] } }
  | { msgtype: 'image'; image: { base64: string; md5: string } }

/** A webhook image message carries at most 2 MB of JPG or PNG (platforms.md §2.1). */
export const WECOM_WEBHOOK_IMAGE_MAX_BYTES = 2 * 1024 * 1024

/** The webhook image body: base64 of the raw bytes and the md5 of those bytes (not of the base64). */
export function wecomImageBody(image: Uint8Array): Extract<WecomOutboundBody, { msgtype: 'image' }> {
  const bytes = Buffer.from(image.buffer, image.byteOffset, image.byteLength)
  return { msgtype: 'image', image: { base64: bytes.toString('base64'), md5: createHash('md5').update(bytes).digest('hex') } }
}

// errcodes by treatment (platforms.md §2.1, W90313). App API: 81013 no such user, 60020 server IP
// not allowed, 40056 bad agentid, 40013 bad corpid.
const THROTTLED_CODES = new Set([45009])
const RETRYABLE_CODES = new Set([-1])
const PERMANENT_CODES = new Set([93000, 93001, 93004, 93006, 93008, 93017, 93018, 40008, 44004, 45002, 81013, 60020, 40056, 40013])

/**
 * The access_token was rejected (40014 invalid, 42001 expired, 40001 invalid credential): the app
 * client refreshes it once and retries; a second rejection is final, hence permanent in the table.
 */
export const WECOM_TOKEN_CODES: ReadonlySet<number> = new Set([40014, 42001, 40001])

/** A minute-level block lifts after one minute (platforms.md §2.1, 45009). */
const THROTTLE_WAIT_MS = 60_000

/** One table for every WeCom failure: HTTP status and errcode → how the worker treats it. */
export function classifyWecomFailure(status: number | undefined, errcode: number | undefined): FailureKind {
  if (status === 429 || (errcode !== undefined && THROTTLED_CODES.has(errcode))) return 'throttled'
  if (errcode !== undefined && RETRYABLE_CODES.has(errcode)) return 'retryable'
  if (errcode !== undefined && (PERMANENT_CODES.has(errcode) || WECOM_TOKEN_CODES.has(errcode))) return 'permanent'
  if (status === undefined || status >= 500) return 'retryable'
  return 'permanent'
}

/** "abcd…" — enough to tell keys apart in logs, never enough to use one (the key is the only credential). */
export function maskSecret(secret: string): string {
  return secret.length <= 8 ? '…' : `${secret.slice(0, 4)}…`
}

/** A successful WeCom answer: errcode 0 and whatever else the endpoint returns. */
export interface WecomResponse {
  errcode: number
  errmsg?: string
  [field: string]: unknown
}

export interface WecomRequest {
  url: string
  /** JSON body (or multipart form) to POST; the request is a GET without one. */
  body?: unknown
  /** Names the call in error messages; must hold no secret itself. */
  what: string
  /** Scrubbed from anything that ends up in an error message (keys, tokens, secrets). */
  secrets: string[]
  /** Already guarded (guardedFetch): only the configured WeCom API origin is reachable. */
  fetch: typeof fetch
  timeoutMs: number
}

/**
 * One WeCom API call: resolves with the parsed answer when errcode is 0, throws a classified
 * PlatformError otherwise. Shared by the webhook client and the app client (app-api.ts).
 */
export async function callWecom(request: WecomRequest): Promise<WecomResponse> {
  const scrub = (text: string) =>
    request.secrets.reduce((out, secret) => (secret ? out.split(secret).join(maskSecret(secret)) : out), text)
  let response: Response
  try {
    // A multipart form (uploads) gets its content type and boundary from fetch.
    const form = request.body instanceof FormData
    response = await request.fetch(request.url, {
      method: request.body === undefined ? 'GET' : 'POST',
      headers: request.body === undefined || form ? {} : { 'content-type': 'application/json' },
      body: request.body === undefined ? undefined : form ? (request.body as FormData) : JSON.stringify(request.body),
      signal: AbortSignal.timeout(request.timeoutMs),
    })
  } catch (error) {
    if (error instanceof PlatformError) throw error // refused by the outbound guard: permanent
    // The cause is dropped on purpose: undici errors may quote the URL, and the URL holds the credential.
    throw new PlatformError(`WeCom ${request.what}: network error`, { platform: 'wecom', kind: 'retryable' })
  }
  const text = await response.text().catch(() => '')
  let parsed: { errcode?: unknown; errmsg?: unknown } | undefined
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  const errcode = typeof parsed?.errcode === 'number' ? parsed.errcode : undefined
  if (response.ok && errcode === 0) return parsed as WecomResponse
  // A 2xx without a readable errcode is a proxy or gateway hiccup, worth another try.
  const kind = response.ok && errcode === undefined ? 'retryable' : classifyWecomFailure(response.status, errcode)
  const detail = errcode === undefined ? `HTTP ${response.status}` : `errcode ${errcode} ${scrub(String(parsed?.errmsg ?? ''))}`.trim()
  throw new PlatformError(`WeCom ${request.what} failed: ${detail}`, {
    platform: 'wecom',
    kind,
    code: errcode,
    status: response.status,
    ...(kind === 'throttled' ? { retryAfterMs: THROTTLE_WAIT_MS } : {}),
  })
}

export interface WecomClientOptions {
  /** qyapi.weixin.qq.com or a fake server (config WECOM_API_BASE_URL). */
  baseUrl: string
  fetch?: typeof fetch
  timeoutMs?: number
}

export interface WecomClient {
  pushWebhook(key: string, body: WecomOutboundBody): Promise<void>
  respondToResponseUrl(url: string, body: WecomOutboundBody): Promise<void>
}

export function createWecomClient(options: WecomClientOptions): WecomClient {
  const base = options.baseUrl.replace(/\/+$/, '')
  // A response_url comes from the callback: only the WeCom API host may receive our POST (platforms.md §2.3).
  const doFetch = guardedFetch('wecom', base, options.fetch)
  const timeoutMs = options.timeoutMs ?? 10_000

  async function post(url: string, body: WecomOutboundBody, what: string, secrets: string[]): Promise<void> {
    await callWecom({ url, body, what, secrets, fetch: doFetch, timeoutMs })
  }

  return {
    async pushWebhook(key, body) {
      const url = `${base}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`
      await post(url, body, `webhook ${maskSecret(key)}`, [key, encodeURIComponent(key)])
    },

    async respondToResponseUrl(url, body) {
      let code = ''
      try {
        code = new URL(url).searchParams.get('response_code') ?? ''
      } catch {
        throw new PlatformError('WeCom response_url is not a URL', { platform: 'wecom', kind: 'permanent' })
      }
      await post(url, body, `response_url ${maskUrl(url)}`, [code, encodeURIComponent(code)])
    },
  }
}
