import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AppContext } from '../../context.ts'

/**
 * Wrong passwords allowed from one client address within the window. The per-account lockout
 * stops guessing one account; this stops guessing a few passwords on each of many accounts.
 * High enough for an office behind one NAT address to mistype for a morning.
 */
export const ADDRESS_LIMIT = { maxFailures: 20, windowMs: 15 * 60_000 }

export interface AddressLimit {
  /** Milliseconds to wait when the client has used up its failures, else 0 (nothing is counted). */
  waitMs(request: FastifyRequest): Promise<number>
  /** Counts one wrong password; answers the wait when this one used up the allowance, else 0. */
  countFailure(request: FastifyRequest): Promise<number>
}

/**
 * Failed sign-ins per real client address (request.ip, as Fastify resolves it from TRUST_PROXY),
 * kept by @fastify/rate-limit's Redis store like the admin token limit, so every web process shares
 * one count. If Redis does not answer, sign-in still works under the per-account lockout, which
 * lives in PostgreSQL.
 */
export async function registerAddressLimit(app: FastifyInstance, ctx: AppContext): Promise<AddressLimit> {
  await app.register(rateLimit, {
    global: false,
    redis: ctx.redis,
    nameSpace: `${ctx.config.REDIS_PREFIX}:workspace-sign-in:`,
    max: ADDRESS_LIMIT.maxFailures,
    timeWindow: ADDRESS_LIMIT.windowMs,
    skipOnError: true,
  })
  const limiter = app.createRateLimit()
  const waitOf = (state: Awaited<ReturnType<typeof limiter>>) => (!state.isAllowed && state.remaining === 0 ? Math.max(state.ttl, 1000) : 0)
  return {
    waitMs: async (request) => waitOf(await limiter(request, { increment: false })),
    countFailure: async (request) => waitOf(await limiter(request)),
  }
}
