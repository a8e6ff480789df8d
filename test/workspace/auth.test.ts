import { describe, expect, it } from 'vitest'
import { setupTestEnv } from '../support/harness.ts'
import { adminClient } from '../admin/helpers.ts'
import { cookiesOf, createTenant, hiddenCsrf, PASSWORD, postLogin, signedIn, staffAccount } from './support.ts'

const env = await setupTestEnv()
const tenantId = await createTenant(env, '阳光物业')

describe('workspace sign-in', () => {
  it('signs a supervisor in with an HttpOnly, Secure, SameSite=Lax session cookie kept only as a hash', async () => {
    const account = await staffAccount(env, tenantId, ['supervisor'], '王主任')
    const response = await postLogin(env, account.username, PASSWORD)
    expect(response.statusCode).toBe(303)
    expect(response.headers.location).toBe('/workspace/tickets')
    const cookie = response.cookies.find((c) => c.name === 'fd_ws_session')!
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/workspace' })
    const stored = await env.ctx.prisma.workspaceSession.findMany({ where: { tenantId } })
    expect(stored.some((row) => row.tokenHash === cookie.value)).toBe(false)
    const page = await env.app.inject({ method: 'GET', url: '/workspace/tickets', cookies: { fd_ws_session: cookie.value } })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('王主任')
  })

  it('stores scrypt hashes with a per-user salt and the cost, never the password', async () => {
    const a = await staffAccount(env, tenantId, ['agent'])
    const b = await staffAccount(env, tenantId, ['agent'])
    const rows = await env.ctx.prisma.workspaceLogin.findMany({ where: { memberId: { in: [a.memberId, b.memberId] } } })
    expect(rows[0].passwordSalt).not.toBe(rows[1].passwordSalt)
    expect(rows[0].passwordHash).not.toBe(rows[1].passwordHash)
    expect(rows[0].passwordCost).toMatchObject({ N: 16384, r: 8, p: 1 })
    expect(JSON.stringify(rows)).not.toContain(PASSWORD)
    const listed = await adminClient(env).get(`/tenants/${tenantId}/logins`)
    expect(listed.body).not.toContain(rows[0].passwordHash)
  })

  it('refuses a wrong password politely in Chinese, and an unknown user the same way', async () => {
    const account = await staffAccount(env, tenantId, ['agent'])
    const wrong = await postLogin(env, account.username, 'not the password')
    const unknown = await postLogin(env, 'nobody-here', 'not the password')
    expect(wrong.statusCode).toBe(401)
    expect(wrong.body).toContain('用户名或密码不正确')
    expect(unknown.statusCode).toBe(401)
    expect(cookiesOf(wrong).fd_ws_session).toBeUndefined()
  })

  it('locks an account after five failures in fifteen minutes, says how long to wait, and a reset lifts it', async () => {
    const account = await staffAccount(env, tenantId, ['agent'])
    for (let i = 0; i < 4; i++) expect((await postLogin(env, account.username, `wrong-${i}`)).statusCode).toBe(401)
    const fifth = await postLogin(env, account.username, 'wrong-5')
    expect(fifth.statusCode).toBe(429)
    expect(fifth.body).toContain('请 15 分钟后再试')
    // Even the right password is refused while locked.
    const right = await postLogin(env, account.username, PASSWORD)
    expect(right.statusCode).toBe(429)
    env.clock.advance(10 * 60_000)
    expect((await postLogin(env, account.username, PASSWORD)).body).toContain('请 5 分钟后再试')
    // Another account is not affected.
    const other = await staffAccount(env, tenantId, ['agent'])
    expect((await postLogin(env, other.username, PASSWORD)).statusCode).toBe(303)

    const reset = await adminClient(env).post(`/members/${account.memberId}/login/password`, { password: 'a brand new secret' })
    expect(reset.statusCode).toBe(200)
    expect((await postLogin(env, account.username, 'a brand new secret')).statusCode).toBe(303)
  })

  it('counts failures in a window: four wrong, sixteen minutes later four more, still not locked', async () => {
    const account = await staffAccount(env, tenantId, ['agent'])
    for (let i = 0; i < 4; i++) await postLogin(env, account.username, 'wrong')
    env.clock.advance(16 * 60_000)
    for (let i = 0; i < 4; i++) expect((await postLogin(env, account.username, 'wrong')).statusCode).toBe(401)
    expect((await postLogin(env, account.username, PASSWORD)).statusCode).toBe(303)
  })

  it('refuses a sign-in form without its token or from another origin', async () => {
    const account = await staffAccount(env, tenantId, ['agent'])
    const page = await env.app.inject({ method: 'GET', url: '/workspace/login' })
    const form = (token: string) => new URLSearchParams({ _csrf: token, username: account.username, password: PASSWORD }).toString()
    const headers = { 'content-type': 'application/x-www-form-urlencoded' }
    const noToken = await env.app.inject({ method: 'POST', url: '/workspace/login', cookies: cookiesOf(page), headers, payload: form('') })
    expect(noToken.statusCode).toBe(403)
    expect(noToken.body).toContain('表单已失效')
    const foreign = await env.app.inject({ method: 'POST', url: '/workspace/login', cookies: cookiesOf(page), headers: { ...headers, origin: 'https://evil.example' }, payload: form(hiddenCsrf(page.body)) })
    expect(foreign.statusCode).toBe(403)
    expect(cookiesOf(foreign).fd_ws_session).toBeUndefined()
  })

  it('refuses a signed-in post (sign-out) without the session form token, and signs out with it', async () => {
    const account = await staffAccount(env, tenantId, ['supervisor'])
    const cookies = await signedIn(env, account)
    const headers = { 'content-type': 'application/x-www-form-urlencoded' }
    const forged = await env.app.inject({ method: 'POST', url: '/workspace/logout', cookies, headers, payload: '_csrf=guess' })
    expect(forged.statusCode).toBe(403)
    expect((await env.app.inject({ method: 'GET', url: '/workspace/tickets', cookies })).statusCode).toBe(200)

    const page = await env.app.inject({ method: 'GET', url: '/workspace/tickets', cookies })
    const out = await env.app.inject({ method: 'POST', url: '/workspace/logout', cookies, headers, payload: `_csrf=${encodeURIComponent(hiddenCsrf(page.body))}` })
    expect(out.statusCode).toBe(303)
    expect(out.headers.location).toBe('/workspace/login')
    const after = await env.app.inject({ method: 'GET', url: '/workspace/tickets', cookies })
    expect(after.statusCode).toBe(303)
    expect(after.headers.location).toContain('/workspace/login')
  })

  it('ends a session after twelve hours', async () => {
    const account = await staffAccount(env, tenantId, ['agent'])
    const cookies = await signedIn(env, account)
    env.clock.advance(11 * 60 * 60_000)
    expect((await env.app.inject({ method: 'GET', url: '/workspace/tickets', cookies })).statusCode).toBe(200)
    env.clock.advance(61 * 60_000)
    const expired = await env.app.inject({ method: 'GET', url: '/workspace/tickets', cookies })
    expect(expired.statusCode).toBe(303)
    expect(expired.headers.location).toBe('/workspace/login?expired=1')
    const login = await env.app.inject({ method: 'GET', url: expired.headers.location as string })
    expect(login.body).toContain('登录已过期')
  })

  it('sends pages without a session to sign-in, and never gives customers a login', async () => {
    const anonymous = await env.app.inject({ method: 'GET', url: '/workspace/reports' })
    expect(anonymous.statusCode).toBe(303)
    const member = await adminClient(env).post(`/tenants/${tenantId}/members`, { platform: 'console', externalUserId: 'customer-1', name: '业主', roles: ['customer'] })
    const refused = await adminClient(env).post(`/members/${member.json().id}/login`, { username: 'owner1', password: PASSWORD })
    expect(refused.statusCode).toBe(400)
  })

  it('signs out everywhere when the admin resets the password', async () => {
    const account = await staffAccount(env, tenantId, ['agent'])
    const cookies = await signedIn(env, account)
    await adminClient(env).post(`/members/${account.memberId}/login/password`, { password: 'another long secret' })
    expect((await env.app.inject({ method: 'GET', url: '/workspace/tickets', cookies })).statusCode).toBe(303)
  })
})
