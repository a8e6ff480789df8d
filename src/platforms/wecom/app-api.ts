import { createHash } from 'node:crypto'
import { PlatformError } from '../errors.ts'
import { guardedFetch } from '../outbound-guard.ts'
import { TokenCache } from '../token-cache.ts'
import { WECOM_TOKEN_CODES, callWecom } from './api.ts'

/**
 * Client of a WeCom self-built app (自建应用): access_token from gettoken (platforms.md §1.7), and
 * active messages to members through message/send, which is how a reply reaches an app direct chat
 * (the callback itself is answered with an empty 200, §1.5).
 */

/** Message bodies frontdesk sends through message/send; app markdown content is at most 2048 bytes. */
export type WecomAppMessageBody =
  | { msgtype: 'markdown'; markdown: { content: string } }
  | { msgtype: 'text'; text: { content: string } }
  | { msgtype: 'image'; image: { media_id: string } }

/** A temporary image (media/upload, type=image): more than 5 bytes, at most 2 MB, JPG or PNG. */
export const WECOM_MEDIA_IMAGE_MAX_BYTES = 2 * 1024 * 1024

export interface WecomAppCredentials {
  corpId: string
  agentId: number
  /** The app's Secret (corpsecret of gettoken). */
  corpSecret: string
}

export interface WecomAppClientOptions extends WecomAppCredentials {
  /** qyapi.weixin.qq.com or a fake server (config WECOM_API_BASE_URL). */
  baseUrl: string
  fetch?: typeof fetch
  now?: () => number
  timeoutMs?: number
  tokenCache?: TokenCache
}

export interface WecomAppSent {
  msgid?: string
}

export interface WecomAppClient {
  getAccessToken(options?: { forceRefresh?: boolean }): Promise<string>
  /** Sends one message to one member (userid) of the corp, as the app. */
  sendToUser(userId: string, body: WecomAppMessageBody): Promise<WecomAppSent>
  /** Uploads a picture as temporary media (valid 3 days) and returns its media_id. */
  uploadImage(image: Uint8Array<ArrayBuffer>, fileName: string): Promise<string>
}

const sharedTokenCache = new TokenCache()

/**
 * Use a token until 5 minutes before expires_in (normally 7200 s): a send never carries one about to
 * lapse, and gettoken stays rare (repeated calls with a wrong secret lock the IP, platforms.md §1.7).
 */
const REFRESH_MARGIN_MS = 5 * 60 * 1000

export function createWecomAppClient(options: WecomAppClientOptions): WecomAppClient {
  const base = options.baseUrl.replace(/\/+$/, '')
  const doFetch = guardedFetch('wecom', base, options.fetch)
  const now = options.now ?? Date.now
  const timeoutMs = options.timeoutMs ?? 10_000
  const cache = options.tokenCache ?? sharedTokenCache
  const secret = options.corpSecret
  // One token per corp and app Secret; the key holds a digest so the Secret itself is never a map key.
  const cacheKey = `${base}|${options.corpId}|${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`

  async function fetchToken(): Promise<string> {
    const started = now()
    const url = `${base}/cgi-bin/gettoken?corpid=${encodeURIComponent(options.corpId)}&corpsecret=${encodeURIComponent(secret)}`
    const body = await callWecom({ url, what: 'gettoken', secrets: [secret, encodeURIComponent(secret)], fetch: doFetch, timeoutMs })
    const token = body.access_token
    const expiresIn = body.expires_in
    if (typeof token !== 'string' || token === '' || typeof expiresIn !== 'number' || expiresIn <= 0) {
      throw new PlatformError('WeCom gettoken: response without access_token or expires_in', { platform: 'wecom', kind: 'retryable' })
    }
    const lifetimeMs = expiresIn * 1000
    // A short-lived token (a test server) is still used for half its life rather than not at all.
    cache.set(cacheKey, token, started + Math.max(lifetimeMs - REFRESH_MARGIN_MS, lifetimeMs / 2))
    return token
  }

  async function getAccessToken(opts: { forceRefresh?: boolean } = {}): Promise<string> {
    if (opts.forceRefresh) cache.delete(cacheKey)
    return cache.get(cacheKey, now()) ?? cache.once(cacheKey, fetchToken)
  }

  /** Calls with a token; when WeCom rejects it (revoked, expired early), refreshes once and retries. */
  async function withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await getAccessToken()
    try {
      return await call(token)
    } catch (error) {
      const rejected = error instanceof PlatformError && error.code !== undefined && WECOM_TOKEN_CODES.has(error.code)
      if (!rejected) throw error
      // A concurrent send may already have replaced it: drop only the token that failed.
      if (cache.get(cacheKey, now()) === token) cache.delete(cacheKey)
      return call(await getAccessToken())
    }
  }

  return {
    getAccessToken,

    async uploadImage(image, fileName) {
      if (image.byteLength <= 5 || image.byteLength > WECOM_MEDIA_IMAGE_MAX_BYTES) {
        throw new PlatformError(`WeCom media upload: ${image.byteLength} bytes is outside 6 bytes..2 MB`, { platform: 'wecom', kind: 'permanent' })
      }
      const answer = await withToken((token) => {
        // Multipart field "media" with a file name (media/upload); a fresh form per attempt.
        const form = new FormData()
        form.append('media', new Blob([image], { type: 'image/png' }), fileName)
        return callWecom({
          url: `${base}/cgi-bin/media/upload?access_token=${encodeURIComponent(token)}&type=image`,
          body: form,
          what: 'media upload',
          secrets: [token, encodeURIComponent(token), secret],
          fetch: doFetch,
          timeoutMs,
        })
      })
      if (typeof answer.media_id !== 'string' || !answer.media_id) {
        throw new PlatformError('WeCom media upload: response without media_id', { platform: 'wecom', kind: 'retryable' })
      }
      return answer.media_id
    },

    async sendToUser(userId, message) {
      if (userId === '') throw new PlatformError('WeCom app message: no recipient', { platform: 'wecom', kind: 'permanent' })
      const body = { touser: userId, agentid: options.agentId, ...message }
      const answer = await withToken((token) =>
        callWecom({
          url: `${base}/cgi-bin/message/send?access_token=${encodeURIComponent(token)}`,
          body,
          what: `app message (agent ${options.agentId})`,
          secrets: [token, encodeURIComponent(token), secret],
          fetch: doFetch,
          timeoutMs,
        }),
      )
      // With several recipients WeCom still answers 0 and lists the unreachable ones (all of them
      // unreachable is 81013); for our single recipient a listed user means nothing was delivered.
      const invalid = typeof answer.invaliduser === 'string' ? answer.invaliduser.split('|') : []
      if (invalid.includes(userId)) {
        throw new PlatformError(`WeCom app message (agent ${options.agentId}): user ${userId} is not reachable by the app`, {
          platform: 'wecom',
          kind: 'permanent',
        })
      }
      return typeof answer.msgid === 'string' ? { msgid: answer.msgid } : {}
    },
  }
}
