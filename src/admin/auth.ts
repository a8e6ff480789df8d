import { createHash, timingSafeEqual } from 'node:crypto'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Redis } from 'ioredis'

export interface AdminAuthOptions {
  /** The configured admin token; undefined disables the admin API. */
  token: string | undefined
  redis: Redis
  /** Redis key prefix for failure counters, e.g. "frontdesk:admin-auth:". */
  keyPrefix: string
  /** Wrong tokens allowed per client within the window before answering 429. */
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
 * Guards every route of the admin scope it is registered in. The token is checked first, so a
 * flood of wrong tokens from an address (or from everyone behind one proxy) never locks out the
 * right one; only wrong tokens are counted, per client address as Fastify resolves it from
 * trustProxy (request.ip), in Redis so that every web process shares one limit.
 *
 * @fastify/rate-limit keeps the counter: its Redis store increments and sets the window in one
 * Lua call, and createRateLimit() lets us count only the failures, which its route hook cannot.
 */
export async function registerAdminAuth(app: FastifyInstance, options: AdminAuthOptions): Promise<void> {
  const maxFailures = options.maxFailures ?? 10
  await app.register(rateLimit, {
    global: false,
    redis: options.redis,
    nameSpace: options.keyPrefix,
    max: maxFailures,
    // The window starts at the first failure and is not extended by later ones.
    timeWindow: options.windowMs ?? 5 * 60_000,
  })
  const countFailure = app.createRateLimit()

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!options.token) {
      return reply.code(503).send({ error: 'admin API disabled', hint: 'set ADMIN_TOKEN to enable it' })
    }
    const token = presentedToken(request)
    if (token && tokensMatch(token, options.token)) return

    const limit = await countFailure(request)
    if (!limit.isAllowed && limit.isExceeded) {
      const failures = Number(await options.redis.get(`${options.keyPrefix}${limit.key}`))
      request.log.warn({ ip: request.ip, failures }, 'admin API: wrong tokens past the limit')
      return tooMany(reply, limit.ttl)
    }
    request.log.info({ ip: request.ip }, 'admin API: rejected token')
    return reply.code(401).send({ error: 'unauthorized' })
  })
}

function tooMany(reply: FastifyReply, remainingMs: number) {
  const ms = remainingMs > 0 ? remainingMs : 60_000
  const minutes = Math.ceil(ms / 60_000)
  return reply
    .code(429)
    .header('retry-after', String(Math.ceil(ms / 1000)))
    .send({ error: `too many failed attempts with a wrong admin token; please wait ${minutes} minute(s) and try again` })
}
