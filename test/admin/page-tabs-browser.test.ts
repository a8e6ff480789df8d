import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { listen, openBrowserPage, signInToAdmin } from '../support/browser.ts'
import { setupTestEnv } from '../support/harness.ts'
import { createTenant } from './helpers.ts'

// The tabs the other browser tests do not walk through: connections, dead letters, audit, and
// moving from one tenant to another. Each is its own module, so each is loaded for real here.

const env = await setupTestEnv()
const base = await listen(env)
const east = await createTenant(env, '东区物业')
await createTenant(env, '西区物业')
const group = await env.ctx.prisma.chatGroup.create({ data: { tenantId: east, platform: 'wecom', externalId: 'wr-east-front', name: '东区前台群', purpose: 'front_desk' } })
await env.ctx.prisma.outgoingMessage.create({
  data: { tenantId: east, groupId: group.id, platform: 'wecom', destination: 'wr-east-front', payload: { text: '报修已受理' }, idempotencyKey: 'tabs-browser-dead-1', status: 'dead', attempts: 5, lastError: 'robot removed from group', deadLetter: true },
})

// Disabling a connection asks first: say yes.
const opened = await openBrowserPage({ acceptDialogs: true })
const page = opened?.page as Page
const pageErrors = opened?.pageErrors ?? []

describe.skipIf(!opened)('connections, dead letters, audit and switching tenants in a real browser', () => {
  it('creates a WeCom webhook connection, shows its address and empties the typed secrets', async () => {
    await signInToAdmin(page, `${base}/admin#tenant/${east}/connections`)
    await page.locator('#connection-list').filter({ hasText: '还没有平台连接' }).waitFor()
    await page.click('#connection-create summary')
    const form = page.locator('#connection-form')
    await form.locator('select[name="platform"]').selectOption('wecom')
    // Only the chosen platform's credentials are shown.
    expect(await form.locator('input[name="credentials.appId"]').isVisible()).toBe(false)
    await form.locator('input[name="name"]').fill('东区机器人')
    await form.locator('input[name="credentials.token"]').fill('east-token')
    await form.locator('input[name="credentials.encodingAESKey"]').fill('abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456')
    await form.locator('button[type="submit"]').click()

    const created = page.locator('#connection-created')
    await created.filter({ hasText: '已创建连接“东区机器人”' }).waitFor()
    const connection = await env.ctx.prisma.platformConnection.findFirstOrThrow({ where: { tenantId: east } })
    expect(await created.locator('.copy-row input').inputValue()).toContain(connection.id)
    expect(await form.locator('input[name="credentials.token"]').inputValue()).toBe('')
    await page.locator('#connection-list .conn').filter({ hasText: '东区机器人' }).waitFor()
  })

  it('disables the connection from its card', async () => {
    await page.locator('#connection-list .conn button').filter({ hasText: '停用' }).click()
    await page.locator('#connection-list .conn').filter({ hasText: '已停用' }).waitFor()
    expect((await env.ctx.prisma.platformConnection.findFirstOrThrow({ where: { tenantId: east } })).enabled).toBe(false)
  })

  it('lists the dead letter with its group and error, and the actions in the audit log', async () => {
    await page.click('button[data-tab="dead-letters"]')
    const letter = page.locator('#dead-letter-list tbody tr')
    await letter.waitFor()
    expect(await letter.innerText()).toContain('东区前台群')
    expect(await letter.innerText()).toContain('robot removed from group')

    await page.click('button[data-tab="audit"]')
    await page.locator('#audit-list').filter({ hasText: '停用平台连接' }).waitFor()
    expect(await page.locator('#audit-list').innerText()).toContain('新建平台连接')
  })

  it('shows nothing of the last tenant after opening another one, and ran without script errors', async () => {
    await page.click('button[data-tab="connections"]')
    await page.locator('#connection-created').waitFor()
    await page.click('[data-action="back"]')
    await page.locator('#tenant-list tr').filter({ hasText: '西区物业' }).locator('button').click()
    await page.locator('#tenant-title').filter({ hasText: '西区物业' }).waitFor()
    await page.locator('#connection-list').filter({ hasText: '还没有平台连接' }).waitFor()
    expect(await page.locator('#connection-created').isHidden()).toBe(true)
    expect(page.url()).toMatch(/#tenant\/[^/]+\/connections$/)
    expect(pageErrors).toEqual([])
  })
})
