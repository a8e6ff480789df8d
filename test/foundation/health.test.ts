import { describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.ts'
import { createContext } from '../../src/context.ts'
import { pino } from 'pino'
import { setupTestEnv } from '../support/harness.ts'

const env = await setupTestEnv()

describe('health endpoints', () => {
  it('answers /healthz while the process is alive', async () => {
    const response = await env.app.inject({ method: 'GET', url: '/healthz' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ ok: true })
  })

  it('answers /readyz with 200 when PostgreSQL and Redis answer', async () => {
    const response = await env.app.inject({ method: 'GET', url: '/readyz' })
    expect(response.statusCode).toBe(200)
    expect(response.json()).toEqual({ ready: true, database: 'ok', redis: 'ok' })
  })

  it('answers /readyz with 503 naming Redis when Redis is unreachable', async () => {
    // Same database, but a Redis port where nothing listens.
    const ctx = createContext({
      config: env.config,
      db: env.ctx.db,
      redisUrl: 'redis://127.0.0.1:1',
      clock: env.clock,
      log: pino({ level: 'silent' }),
    })
    ctx.redis.options.retryStrategy = () => null
    const app = await buildApp(ctx, { logger: false })
    const response = await app.inject({ method: 'GET', url: '/readyz' })
    expect(response.statusCode).toBe(503)
    expect(response.json()).toMatchObject({ ready: false, database: 'ok', redis: 'down' })
    await app.close()
    ctx.redis.disconnect()
    await Promise.all(Object.values(ctx.queues).map((q) => q.close().catch(() => {})))
  })
})
