import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { listen, openBrowserPage, signInToAdmin } from '../support/browser.ts'
import { setupTestEnv } from '../support/harness.ts'
import { postLogin } from '../workspace/support.ts'
import { adminClient, auditActions, createTenant } from './helpers.ts'

const env = await setupTestEnv()
const base = await listen(env)
const tenantId = await createTenant(env, '阳光物业')
const admin = adminClient(env)
const director = (await admin.post(`/tenants/${tenantId}/members`, { platform: 'console', externalUserId: 'wang', name: '王主任', roles: ['supervisor'] })).json()
await admin.post(`/tenants/${tenantId}/members`, { platform: 'console', externalUserId: 'owner', name: '业主刘', roles: ['customer'] })

const opened = await openBrowserPage()
const page = opened?.page as Page
const pageErrors = opened?.pageErrors ?? []

const row = () => page.locator('#workspace-login-list tr[data-login="wang.zhuren"]')

describe.skipIf(!opened)('workspace logins in the admin page, in a real browser', () => {
  it('creates a login for a staff member (customers are not offered) and lists it as never signed in', async () => {
    await signInToAdmin(page, `${base}/admin`)
    await page.locator('#tenants').waitFor({ state: 'visible' })
    await page.goto(`${base}/admin#tenant/${tenantId}/logins`)
    await page.locator('#workspace-login-list').filter({ hasText: '还没有工作台登录' }).waitFor()
    await page.click('#workspace-login-create summary')
    const form = page.locator('#workspace-login-form')
    const offered = await form.locator('select[name="memberId"] option').allInnerTexts()
    expect(offered).toEqual([expect.stringContaining('王主任')])

    // Too short a password is refused next to its field, and nothing is created.
    await form.locator('input[name="username"]').fill('wang.zhuren')
    await form.locator('input[name="password"]').fill('short')
    await form.locator('button[type="submit"]').click()
    await form.locator('.field-error').filter({ hasText: '密码' }).waitFor()
    expect(await env.ctx.prisma.workspaceLogin.count()).toBe(0)

    await form.locator('input[name="password"]').fill('first secret 2026')
    await form.locator('button[type="submit"]').click()
    await row().waitFor()
    expect(await row().innerText()).toContain('从未登录')
    expect(await row().innerText()).toContain('可登录')
    expect((await postLogin(env, 'wang.zhuren', 'first secret 2026')).statusCode).toBe(303)
  })

  it('shows a lockout, and a reset from the list lifts it and shows the next sign-in', async () => {
    for (let i = 0; i < 5; i++) await postLogin(env, 'wang.zhuren', `wrong-${i}`)
    await page.click('button[data-tab="logins"]')
    await row().filter({ hasText: '已锁定' }).waitFor()

    await row().locator('button').filter({ hasText: '重置密码' }).click()
    const reset = page.locator('#workspace-login-reset-form')
    expect(await reset.locator('select[name="memberId"]').inputValue()).toBe(director.id)
    await reset.locator('input[name="password"]').fill('second secret 2026')
    await reset.locator('button[type="submit"]').click()
    await row().filter({ hasText: '可登录' }).waitFor()
    expect(await row().innerText()).not.toContain('已锁定')

    expect((await postLogin(env, 'wang.zhuren', 'first secret 2026')).statusCode).toBe(401)
    expect((await postLogin(env, 'wang.zhuren', 'second secret 2026')).statusCode).toBe(303)
    await page.click('button[data-tab="logins"]')
    await row().filter({ hasNotText: '从未登录' }).waitFor()
    expect((await auditActions(env, tenantId)).filter((action) => action.startsWith('login.'))).toEqual(['login.create', 'login.reset_password'])
    expect(pageErrors).toEqual([])
  })
})
