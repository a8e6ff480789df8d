import { Writable } from 'node:stream'
import Fastify from 'fastify'
import { pino } from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { registerAdminAuth } from '../../src/admin/auth.ts'
import { buildApp } from '../../src/app.ts'
import { ConfigError, loadConfig } from '../../src/config.ts'
import { setupTestEnv, TEST_ADMIN_TOKEN } from '../support/harness.ts'

// One hop: the reverse proxy in front of frontdesk, which appends the address it saw.
const env = await setupTestEnv({ TRUST_PROXY: '1' })

const PROXY = '10.0.0.5'
const viaProxy = (app: typeof env.app, forwardedFor: string, token?: string) =>
  app.inject({
    method: 'GET',
    url: '/admin/api/tenants',
    remoteAddress: PROXY,
    headers: { 'x-forwarded-for': forwardedFor, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  })

async function appTrusting(trustProxy: string) {
  const config = { ...env.config, TRUST_PROXY: loadConfig({ TRUST_PROXY: trustProxy }).TRUST_PROXY }
  const app = await buildApp({ ...env.ctx, config }, { logger: false })
  await app.ready()
  afterAll(() => app.close())
  return app
}

describe('admin token limit behind a reverse proxy', () => {
  it('with a hop count of 1, a client rotating X-Forwarded-For stays one client', async () => {
    for (let i = 0; i < 10; i++) {
      // The client writes a fresh address each time; the proxy appends the real one, 203.0.113.7.
      expect((await viaProxy(env.app, `198.51.100.${i}, 203.0.113.7`, `wrong-${i}`)).statusCode).toBe(401)
    }
    const limited = await viaProxy(env.app, '198.51.100.99, 203.0.113.7', 'wrong-again')
    expect(limited.statusCode).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect(limited.json().error).toMatch(/too many failed attempts with a wrong admin token; please wait \d+ minute/)
    expect(await env.ctx.redis.get(`${env.prefix}:admin-auth:203.0.113.7`)).toBe('11')
    // Someone else behind the same proxy is not affected.
    expect((await viaProxy(env.app, '203.0.113.8', 'wrong')).statusCode).toBe(401)
  })

  it('lets the right token in while a flood of wrong ones from the same client is refused', async () => {
    const client = '203.0.113.20'
    for (let i = 0; i < 12; i++) await viaProxy(env.app, client, `wrong-${i}`)
    expect((await viaProxy(env.app, client, 'wrong-13')).statusCode).toBe(429)
    expect((await viaProxy(env.app, client, TEST_ADMIN_TOKEN)).statusCode).toBe(200)
    expect((await viaProxy(env.app, client, 'wrong-14')).statusCode).toBe(429)
  })

  it("with the proxy's addresses trusted, two clients behind it are limited separately", async () => {
    const app = await appTrusting('127.0.0.1, 10.0.0.0/8')
    for (let i = 0; i < 11; i++) await viaProxy(app, '192.0.2.1', `wrong-${i}`)
    expect((await viaProxy(app, '192.0.2.1', 'wrong')).statusCode).toBe(429)
    expect((await viaProxy(app, '192.0.2.2', 'wrong')).statusCode).toBe(401)
    expect(await env.ctx.redis.exists(`${env.prefix}:admin-auth:${PROXY}`)).toBe(0)
    // An address that is not a trusted proxy cannot choose its client address.
    const direct = await app.inject({ method: 'GET', url: '/admin/api/tenants', remoteAddress: '192.0.2.50', headers: { 'x-forwarded-for': '192.0.2.2' } })
    expect(direct.statusCode).toBe(401)
    expect(await env.ctx.redis.get(`${env.prefix}:admin-auth:192.0.2.50`)).toBe('1')
  })

  it('without trusting the proxy, everyone behind it shares one limit, and the right token still gets in', async () => {
    const app = await appTrusting('false')
    for (let i = 0; i < 11; i++) await viaProxy(app, `192.0.2.${100 + i}`, `wrong-${i}`)
    expect((await viaProxy(app, '192.0.2.200', 'wrong')).statusCode).toBe(429)
    expect((await viaProxy(app, '192.0.2.201', TEST_ADMIN_TOKEN)).statusCode).toBe(200)
  })

  it('reads TRUST_PROXY in the forms Fastify knows, and names a bad one', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false)
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true)
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2)
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1,10.0.0.0/8, ::1/128' }).TRUST_PROXY).toEqual(['127.0.0.1', '10.0.0.0/8', '::1/128'])
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/40' })).toThrow(ConfigError)
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.internal' })).toThrow(/TRUST_PROXY: must be true, false, a hop count.*proxy\.internal/)
  })
})

describe('admin token limit logging', () => {
  it('logs attempts past the limit with the address and count, never the token', async () => {
    const lines: Record<string, unknown>[] = []
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line))
        done()
      },
    })
    const app = Fastify({ loggerInstance: pino({ level: 'info' }, sink) })
    await app.register(async (scope) => {
      await registerAdminAuth(scope, { token: TEST_ADMIN_TOKEN, redis: env.ctx.redis, keyPrefix: `${env.prefix}:log-test:`, maxFailures: 2 })
      scope.get('/guarded', async () => ({ ok: true }))
    })
    afterAll(() => app.close())
    const attempt = (token: string) => app.inject({ method: 'GET', url: '/guarded', remoteAddress: '192.0.2.9', headers: { authorization: `Bearer ${token}` } })
    for (const token of ['secret-guess-1', 'secret-guess-2', 'secret-guess-3', 'secret-guess-4']) await attempt(token)
    expect((await attempt(TEST_ADMIN_TOKEN)).statusCode).toBe(200)

    const pastLimit = lines.filter((line) => line.msg === 'admin API: wrong tokens past the limit')
    expect(pastLimit.map((line) => [line.ip, line.failures])).toEqual([
      ['192.0.2.9', 3],
      ['192.0.2.9', 4],
    ])
    const everything = JSON.stringify(lines)
    expect(everything).not.toContain('secret-guess')
    expect(everything).not.toContain(TEST_ADMIN_TOKEN)
  })
})
