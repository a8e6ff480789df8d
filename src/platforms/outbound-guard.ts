import { PlatformError, type PlatformName } from './errors.ts'

/**
 * Outbound requests go only to the platform API hosts the configuration names (LARK_API_BASE_URL,
 * WECOM_API_BASE_URL). A URL that arrives in a message (a WeCom response_url) is attacker-shaped
 * input: without this check a signed-but-hostile callback could make frontdesk POST to any
 * internal address (blind SSRF).
 */

/** The origin (scheme, host, port) of an absolute http(s) URL, or null for anything else. */
export function originOf(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null
  return parsed.origin
}

/** True when `url` is an http(s) URL on exactly the origin of `baseUrl`. */
export function isOnOrigin(url: string, baseUrl: string): boolean {
  const origin = originOf(url)
  return origin !== null && origin === originOf(baseUrl)
}

/** A URL without its query or fragment, for logs: query strings carry one-time credentials (response_code, key). */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`
  } catch {
    return '<invalid url>'
  }
}

/**
 * Wraps fetch so that it refuses (permanently: retrying cannot help, the message becomes a dead
 * letter) any URL off the platform's configured origin, and never follows a redirect, which
 * could lead anywhere.
 */
export function guardedFetch(platform: PlatformName, baseUrl: string, doFetch: typeof fetch = fetch): typeof fetch {
  const allowed = originOf(baseUrl)
  if (allowed === null) throw new RangeError(`${platform} API base URL must be an absolute http(s) URL`)
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    if (originOf(url) !== allowed) {
      return Promise.reject(
        new PlatformError(`${platform} refused an outbound request to ${maskUrl(url)}: not the configured ${platform} API host`, {
          platform,
          kind: 'permanent',
        }),
      )
    }
    return doFetch(input, { ...init, redirect: 'manual' })
  }
}
