import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { listen, openBrowserPage } from '../support/browser.ts'
import { setupTestEnv } from '../support/harness.ts'
import { createTenant, PASSWORD, seedTicket, staffAccount } from './support.ts'

const env = await setupTestEnv()
const base = await listen(env)
const tenantId = await createTenant(env, '阳光物业')
const director = await staffAccount(env, tenantId, ['supervisor'], '王主任')
const leak = await seedTicket(env, tenantId, { unit: '3-2-501', description: '厨房水管漏水', contactPhone: '13800138000', priority: 'urgent', resolveBy: new Date(env.clock.now().getTime() + 4 * 3_600_000) })
await seedTicket(env, tenantId, { kind: 'complaint', unit: '5-1-101', description: '楼道噪音扰民，晚上十点后还在装修，业主多次反映', status: 'done' })

// No script runs in the workspace: everything must work with JavaScript off.
const opened = await openBrowserPage({ javaScriptEnabled: false, acceptDownloads: true })
const page = opened?.page as Page

describe.skipIf(!opened)('the workspace in a real browser without JavaScript', () => {
  it('signs in', async () => {
    await page.goto(`${base}/workspace`)
    expect(page.url()).toContain('/workspace/login')
    await page.fill('input[name="username"]', director.username)
    await page.fill('input[name="password"]', PASSWORD)
    await page.click('button[type="submit"]')
    await page.waitForURL(/\/workspace\/tickets/)
    expect(await page.locator('header').innerText()).toContain('王主任')
  })

  it('filters tickets by kind and opens one', async () => {
    await page.selectOption('select[name="kind"]', 'repair')
    await page.click('form.filters button[type="submit"]')
    await page.waitForURL(/kind=repair/)
    const list = await page.locator('ul.cards').innerText()
    expect(list).toContain('厨房水管漏水')
    expect(list).not.toContain('楼道噪音')
    await page.click(`a[href="/workspace/tickets/${leak.number}"]`)
    await page.waitForURL(new RegExp(`/workspace/tickets/${leak.number}$`))
    expect(await page.locator('main').innerText()).toContain('完成时限')
    await page.goBack()
  })

  it('exports the filtered list as CSV', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[href^="/workspace/tickets.csv"]')])
    const chunks: Buffer[] = []
    for await (const chunk of (await download.createReadStream())!) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    expect(text.charCodeAt(0)).toBe(0xfeff)
    expect(text).toContain('厨房水管漏水')
    expect(text).not.toContain('楼道噪音')
  })

  it('fits a 420 px phone screen without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 420, height: 900 })
    for (const path of ['/workspace/tickets', `/workspace/tickets/${leak.number}`, '/workspace/reports', '/workspace/bookings?view=week', '/workspace/follow-ups']) {
      await page.goto(`${base}${path}`)
      const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }))
      expect(widths.scroll, path).toBeLessThanOrEqual(widths.client)
    }
    await page.goto(`${base}/workspace/tickets`)
    const shot = await page.screenshot({ fullPage: true })
    expect(shot.byteLength).toBeGreaterThan(1000)
  })
})
