import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { listen, openBrowserPage, signInToAdmin } from '../support/browser.ts'
import { setupTestEnv } from '../support/harness.ts'
import { createTenant } from './helpers.ts'

const env = await setupTestEnv()
const base = await listen(env)
const tenantId = await createTenant(env, '资源页面物业')
const stored = () => env.ctx.prisma.resource.findFirstOrThrow({ where: { tenantId, name: '多功能厅' } })

// Deactivating asks first: say yes.
const opened = await openBrowserPage({ acceptDialogs: true })
const page = opened?.page as Page
const pageErrors = opened?.pageErrors ?? []

describe.skipIf(!opened)('the resources tab of the admin page in a real browser', () => {
  it('adds a hall with every field', async () => {
    await signInToAdmin(page, `${base}/admin#tenant/${tenantId}/resources`)
    await page.locator('#resource-list').filter({ hasText: '还没有预约资源' }).waitFor()
    if (!(await page.locator('#resource-form').isVisible())) await page.click('#resource-create summary')
    const form = page.locator('#resource-form')
    await form.locator('input[name="name"]').fill('多功能厅')
    await form.locator('input[name="aliases"]').fill('大厅，二楼大厅')
    await form.locator('select[name="kind"]').selectOption('venue')
    await form.locator('input[name="capacity"]').fill('1')
    await form.locator('input[name="opensAt"]').fill('09:00')
    await form.locator('input[name="closesAt"]').fill('21:00')
    await form.locator('input[name="slotMinutes"]').fill('60')
    await form.locator('input[name="defaultMinutes"]').fill('180')
    await form.locator('input[name="bufferBeforeMinutes"]').fill('30')
    await form.locator('input[name="bufferAfterMinutes"]').fill('45')
    await form.locator('input[name="minNoticeMinutes"]').fill('4320')
    await form.locator('input[name="maxAdvanceDays"]').fill('60')
    await form.locator('input[name="priceCents"]').fill('800.50')
    await form.locator('input[name="depositRequired"]').check()
    await form.locator('input[name="prepRoles"][value="technician"]').check()
    await form.locator('input[name="prepRoles"][value="agent"]').check()
    await form.locator('button[type="submit"]').click()
    await page.locator('#resource-list').filter({ hasText: '大厅、二楼大厅' }).waitFor()
    expect(await stored()).toMatchObject({
      aliases: ['大厅', '二楼大厅'],
      kind: 'venue',
      capacity: 1,
      opensAt: '09:00',
      closesAt: '21:00',
      slotMinutes: 60,
      defaultMinutes: 180,
      bufferBeforeMinutes: 30,
      bufferAfterMinutes: 45,
      minNoticeMinutes: 4320,
      maxAdvanceDays: 60,
      depositRequired: true,
      priceCents: 80050,
      prepRoles: ['agent', 'technician'],
    })
  })

  it('shows a refused field next to its input and keeps the stored row', async () => {
    await page.locator('#resource-list button', { hasText: '修改' }).click()
    const form = page.locator('#resource-form')
    await expect.poll(async () => form.locator('input[name="name"]').inputValue()).toBe('多功能厅')
    await form.locator('input[name="closesAt"]').fill('08:00')
    await form.locator('button[type="submit"]').click()
    await expect.poll(async () => form.innerText()).toContain('关闭时间：must be after the opening time 09:00')
    expect((await stored()).closesAt).toBe('21:00')
  })

  it('edits capacity and clears the price, then deactivates the hall', async () => {
    const form = page.locator('#resource-form')
    await form.locator('input[name="closesAt"]').fill('22:00')
    await form.locator('input[name="capacity"]').fill('2')
    await form.locator('input[name="priceCents"]').fill('')
    await form.locator('button[type="submit"]').click()
    await expect.poll(async () => (await stored()).capacity).toBe(2)
    expect(await stored()).toMatchObject({ closesAt: '22:00', priceCents: null, minNoticeMinutes: 4320, prepRoles: ['agent', 'technician'] })

    await page.locator('#resource-list button', { hasText: '停用' }).click()
    await expect.poll(async () => (await stored()).active).toBe(false)
    await page.locator('#resource-list').filter({ hasText: '已停用' }).waitFor()
    expect(pageErrors).toEqual([])
  })
})
