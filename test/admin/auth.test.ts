import { describe, expect, it } from 'vitest'
import { presentedToken, tokensMatch } from '../../src/admin/auth.ts'
import { setupTestEnv, TEST_ADMIN_TOKEN } from '../support/harness.ts'

const env = await setupTestEnv()

const tenants = (headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
  env.app.inject({ method: 'GET', url: '/admin/api/tenants', headers, remoteAddress })

describe('admin API authentication', () => {
  it('refuses a request without a token with a bare 401', async () => {
    const response = await tenants({}, '10.0.0.1')
    expect(response.statusCode).toBe(401)
    expect(response.json()).toEqual({ error: 'unauthorized' })
  })

  it('refuses a wrong bearer token and a wrong X-Admin-Token alike', async () => {
    expect((await tenants({ authorization: 'Bearer not-the-token' }, '10.0.0.2')).statusCode).toBe(401)
    expect((await tenants({ 'x-admin-token': 'not-the-token' }, '10.0.0.2')).statusCode).toBe(401)
    // A token with the right prefix is still wrong.
    expect((await tenants({ authorization: `Bearer ${TEST_ADMIN_TOKEN}x` }, '10.0.0.2')).json()).toEqual({ error: 'unauthorized' })
  })

  it('accepts the token as a bearer token or as X-Admin-Token', async () => {
    expect((await tenants({ authorization: `Bearer ${TEST_ADMIN_TOKEN}` })).statusCode).toBe(200)
    expect((await tenants({ authorization: `bearer ${TEST_ADMIN_TOKEN}` })).statusCode).toBe(200)
    expect((await tenants({ 'x-admin-token': TEST_ADMIN_TOKEN })).statusCode).toBe(200)
  })

  it('guards write routes too', async () => {
    const response = await env.app.inject({ method: 'POST', url: '/admin/api/tenants', payload: { name: 'x' }, remoteAddress: '10.0.0.3' })
    expect(response.statusCode).toBe(401)
    expect(await env.ctx.prisma.tenant.count()).toBe(0)
  })

  it('answers 429 after ten wrong tokens from one address, and only to wrong tokens from it', async () => {
    const ip = '10.9.9.9'
    for (let i = 0; i < 10; i++) expect((await tenants({ authorization: `Bearer wrong-${i}` }, ip)).statusCode).toBe(401)
    const limited = await tenants({ authorization: 'Bearer wrong-again' }, ip)
    expect(limited.statusCode).toBe(429)
    expect(limited.json().error).toMatch(/wrong admin token; please wait \d+ minute/)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(5 * 60)
    // The right token is never locked out by someone else's guesses from the same address.
    expect((await tenants({ authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, ip)).statusCode).toBe(200)
    expect((await tenants({}, ip)).statusCode).toBe(429)
    // Another client is unaffected.
    expect((await tenants({ authorization: 'Bearer wrong' }, '10.9.9.10')).statusCode).toBe(401)

    const key = `${env.prefix}:admin-auth:${ip}`
    expect(Number(await env.ctx.redis.get(key))).toBe(12)
    const ttl = await env.ctx.redis.pttl(key)
    expect(ttl).toBeGreaterThan(0)
    expect(ttl).toBeLessThanOrEqual(5 * 60_000)
    // When the window passes, the client may try again.
    await env.ctx.redis.del(key)
    expect((await tenants({ authorization: 'Bearer wrong' }, ip)).statusCode).toBe(401)
  })

  it('does not count requests with the right token', async () => {
    const ip = '10.9.9.11'
    for (let i = 0; i < 15; i++) expect((await tenants({ authorization: `Bearer ${TEST_ADMIN_TOKEN}` }, ip)).statusCode).toBe(200)
    expect(await env.ctx.redis.exists(`${env.prefix}:admin-auth:${ip}`)).toBe(0)
    expect((await tenants({ authorization: 'Bearer wrong' }, ip)).statusCode).toBe(401)
  })

  it('compares tokens by hash and reads both header forms', () => {
    expect(tokensMatch('abc', 'abc')).toBe(true)
    expect(tokensMatch('abc', 'abcd')).toBe(false)
    expect(tokensMatch('', 'abc')).toBe(false)
    const request = (headers: Record<string, string>) => ({ headers }) as never
    expect(presentedToken(request({ authorization: 'Bearer  tok ' }))).toBe('tok')
    expect(presentedToken(request({ authorization: 'Basic dXNlcjpwYXNz' }))).toBeUndefined()
    expect(presentedToken(request({ 'x-admin-token': 'tok2' }))).toBe('tok2')
  })
})
