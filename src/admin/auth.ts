import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify'
import type { Redis } from 'ioredis'

export interface AdminAuthOptions {
  /** The configured admin token; undefined disables the admin API. */
  token: string | undefined
  redis: Redis
  /** Redis key prefix for failure counters, e.g. "frontdesk:admin-auth:". */
  keyPrefix: string
  /** Failures allowed per client IP within the window before answering 429. */
  maxFailures?: number
  windowMs?: number
}

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest()

/**
 * Hashing both sides first gives equal-length buffers, so timingSafeEqual never throws and the
 * comparison time does not reveal the token's length.
 */
export function tokensMatch(presented: string, expected: string): boolean {
  return timingSafeEqual(sha256(presented), sha256(expected))
}

/** The token from `Authorization: Bearer …` or `X-Admin-Token`, whichever is present. */
export function presentedToken(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization
  if (authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim())
    if (match) return match[1].trim()
  }
  const header = request.headers['x-admin-token']
  const value = Array.isArray(header) ? header[0] : header
  return value?.trim() || undefined
}

/**
 * onRequest hook guarding every admin route. Failed attempts are counted per client IP in Redis so
 * that several web processes share one limit; a blocked IP is refused before its token is checked.
 */
export function adminAuth(options: AdminAuthOptions): onRequestHookHandler {
  const maxFailures = options.maxFailures ?? 10
  const windowMs = options.windowMs ?? 5 * 60_000
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!options.token) {
      return reply.code(503).send({ error: 'admin API disabled', hint: 'set ADMIN_TOKEN to enable it' })
    }
    const key = `${options.keyPrefix}${request.ip}`
    const failures = Number((await options.redis.get(key)) ?? 0)
    if (failures >= maxFailures) return tooMany(reply, await options.redis.pttl(key))

    const token = presentedToken(request)
    if (token && tokensMatch(token, options.token)) return

    // One round trip, atomically: the window starts at the first failure (NX) and is never extended.
    const results = await options.redis.multi().incr(key).pexpire(key, windowMs, 'NX').exec()
    const count = Number(results?.[0]?.[1] ?? maxFailures + 1)
    request.log.warn({ ip: request.ip, failures: count }, 'admin API: rejected token')
    if (count > maxFailures) return tooMany(reply, windowMs)
    return reply.code(401).send({ error: 'unauthorized' })
  }
}

function tooMany(reply: FastifyReply, remainingMs: number) {
  const ms = remainingMs > 0 ? remainingMs : 60_000
  const minutes = Math.ceil(ms / 60_000)
  return reply
    .code(429)
    .header('retry-after', String(Math.ceil(ms / 1000)))
    .send({ error: `too many failed attempts with a wrong admin token; please wait ${minutes} minute(s) and try again` })
}
