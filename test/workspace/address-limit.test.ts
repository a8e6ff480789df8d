import { describe, expect, it } from 'vitest'
import { LOCKOUT } from '../../src/workspace/auth/sign-in.ts'
import { setupTestEnv } from '../support/harness.ts'
import { cookiesOf, createTenant, hiddenCsrf, PASSWORD, staffAccount } from './support.ts'

// One hop: the reverse proxy in front of frontdesk appends the address it saw.
const env = await setupTestEnv({ TRUST_PROXY: '1' })
const tenantId = await createTenant(env, '阳光物业')
const PROXY = '10.0.0.5'

/** A browser behind the proxy opening the sign-in page and posting it; `forwardedFor` is what reaches the proxy plus the client. */
async function signInVia(forwardedFor: string, username: string, password: string, extraCookies: Record<string, string> = {}) {
  const headers = { 'x-forwarded-for': forwardedFor }
  const page = await env.app.inject({ method: 'GET', url: '/workspace/login', remoteAddress: PROXY, headers })
  return env.app.inject({
    method: 'POST',
    url: '/workspace/login',
    remoteAddress: PROXY,
    cookies: { ...cookiesOf(page), ...extraCookies },
    headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', origin: 'https://frontdesk.example.com' },
    payload: new URLSearchParams({ _csrf: hiddenCsrf(page.body), username, password }).toString(),
  })
}

describe('failed sign-ins per client address', () => {
  it('stops a client guessing a few passwords on each of many accounts, with the wait, and leaves everyone else alone', async () => {
    const accounts = await Promise.all(Array.from({ length: 6 }, (_, i) => staffAccount(env, tenantId, ['agent'], `客服${i}`)))
    const attacker = '203.0.113.7'
    // Four wrong passwords per account stay under each account's lockout; the address has 20 in all.
    const answers: number[] = []
    for (const account of accounts.slice(0, 5)) {
      for (let i = 0; i < LOCKOUT.maxFailures - 1; i++) {
        // A fresh address written by the client each time: only the one the proxy appends counts.
        answers.push((await signInVia(`198.51.100.${answers.length}, ${attacker}`, account.username, `guess-${i}`)).statusCode)
      }
    }
    expect(answers.slice(0, 19).every((status) => status === 401)).toBe(true)
    expect(answers[19]).toBe(429)

    // Past the limit even a right password is refused before it is checked: no session, the same answer.
    const right = await signInVia(attacker, accounts[5].username, PASSWORD)
    expect(right.statusCode).toBe(429)
    expect(cookiesOf(right).fd_ws_session).toBeUndefined()
    expect(right.body).toContain('从您所在网络登录失败的次数过多，请 15 分钟后再试')
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(14 * 60)
    const english = await signInVia(attacker, accounts[5].username, PASSWORD, { fd_ws_lang: 'en-US' })
    expect(english.body).toContain('Too many failed sign-ins from your network. Please try again in 15 minute(s).')

    // No account was locked, and a colleague on another network signs in to any of them.
    const logins = await env.ctx.prisma.workspaceLogin.findMany({ where: { memberId: { in: accounts.map((a) => a.memberId) } } })
    expect(logins.every((login) => login.lockedUntil === null)).toBe(true)
    expect((await signInVia('203.0.113.8', accounts[0].username, PASSWORD)).statusCode).toBe(303)
    // One more wrong password from elsewhere is only a wrong password.
    expect((await signInVia('203.0.113.9', accounts[5].username, 'typo')).statusCode).toBe(401)
    expect(Number(await env.ctx.redis.get(`${env.prefix}:workspace-sign-in:${attacker}`))).toBe(20)
  })

  it('does not count successful sign-ins', async () => {
    const account = await staffAccount(env, tenantId, ['supervisor'])
    for (let i = 0; i < 25; i++) expect((await signInVia('203.0.113.50', account.username, PASSWORD)).statusCode).toBe(303)
  })
})
