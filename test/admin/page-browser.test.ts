import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { listen, openBrowserPage, signInToAdmin } from '../support/browser.ts'
import { setupTestEnv } from '../support/harness.ts'

const env = await setupTestEnv()
const base = await listen(env)

const opened = await openBrowserPage()
const page = opened?.page as Page
const pageErrors = opened?.pageErrors ?? []

describe.skipIf(!opened)('the admin page in a real browser', () => {
  it('signs in with the admin token and creates a tenant', async () => {
    await signInToAdmin(page, `${base}/admin`)
    await page.locator('#tenants').waitFor({ state: 'visible' })
    if (!(await page.locator('#tenant-form').isVisible())) await page.click('#tenant-create summary')
    await page.fill('#tenant-form input[name="name"]', '阳光花园物业')
    await page.click('#tenant-form button[type="submit"]')
    await page.locator('#tenant-title').filter({ hasText: '阳光花园物业' }).waitFor()
    expect(await env.ctx.prisma.tenant.count({ where: { name: '阳光花园物业' } })).toBe(1)
  })

  it('creates a binding code and shows the command to type in the group', async () => {
    await page.click('button[data-tab="groups"]')
    await page.click('#binding-form button[type="submit"]')
    const code = (await page.locator('#binding-result .big-code').innerText()).trim()
    expect(code).toMatch(/^[A-Z2-9]{8}$/)
    expect(await page.locator('#binding-result').innerText()).toContain(`绑定 ${code}`)
    expect(await env.ctx.prisma.bindingCode.count({ where: { code } })).toBe(1)
  })

  it('adds a member with a role and aliases', async () => {
    await page.click('button[data-tab="members"]')
    if (!(await page.locator('#member-form').isVisible())) await page.click('#member-create summary')
    const form = page.locator('#member-form')
    await form.locator('select[name="platform"]').selectOption('console')
    await form.locator('input[name="externalUserId"]').fill('zhang')
    await form.locator('input[name="name"]').fill('张师傅')
    await form.locator('input[name="aliases"]').fill('老张，张工')
    await form.locator('input[value="technician"]').check()
    await form.locator('button[type="submit"]').click()
    await page.locator('#member-list').filter({ hasText: '老张、张工' }).waitFor()
    const member = await env.ctx.prisma.member.findFirstOrThrow({ where: { externalUserId: 'zhang' } })
    expect(member.roles).toContain('technician')
    expect(member.aliases).toEqual(['老张', '张工'])
  })

  it('adds a department with its head, group and limit', async () => {
    await page.click('button[data-tab="departments"]')
    if (!(await page.locator('#department-form').isVisible())) await page.click('#department-create summary')
    const form = page.locator('#department-form')
    await form.locator('input[name="name"]').fill('工程部')
    await form.locator('input[name="aliases"]').fill('工程，维修部')
    await form.locator('label', { hasText: '张师傅' }).locator('input').check()
    await form.locator('input[name="limitHours.effective"]').fill('4')
    await form.locator('button[type="submit"]').click()
    await page.locator('#department-list').filter({ hasText: '工程、维修部' }).waitFor()
    const department = await env.ctx.prisma.department.findFirstOrThrow({ where: { name: '工程部' } })
    const head = await env.ctx.prisma.member.findFirstOrThrow({ where: { externalUserId: 'zhang' } })
    expect(department).toMatchObject({ aliases: ['工程', '维修部'], headIds: [head.id], limitHours: { effective: 4 } })
  })

  it('saves working hours per weekday, extra working days and a business clock', async () => {
    await page.click('button[data-tab="settings"]')
    const form = page.locator('#tenant-settings-form')
    await form.locator('input[name="hours.1.start"]').waitFor()
    await expect.poll(async () => form.locator('input[name="hours.7.on"]').isChecked()).toBe(true) // loaded: every day by default
    await form.locator('input[name="hours.7.on"]').uncheck()
    await form.locator('input[name="hours.6.start"]').fill('09:00')
    await form.locator('input[name="hours.6.end"]').fill('12:00')
    await form.locator('textarea[name="extraWorkdays"]').fill('2026-10-05')
    await form.locator('input[name="officialHolidays"]').uncheck()
    await form.locator('select[name="policy.clocks.resolve.normal"]').selectOption('business')
    await form.locator('button[type="submit"]').click()
    const saved = async () => (await env.ctx.prisma.tenant.findFirstOrThrow({ where: { name: '阳光花园物业' } }))
    await expect.poll(async () => (await saved()).officialHolidays).toBe(false)
    const tenant = await saved()
    expect(tenant.businessHours).toEqual([
      { days: [1, 2, 3, 4, 5], start: '08:30', end: '17:30' },
      { days: [6], start: '09:00', end: '12:00' },
    ])
    expect(tenant.extraWorkdays).toEqual(['2026-10-05'])
    expect(tenant.policy).toEqual({ clocks: { resolve: { normal: 'business' } } })
  })

  it('shows a refused field next to its input, and ran without script errors', async () => {
    await page.click('button[data-tab="settings"]')
    const form = page.locator('#tenant-settings-form')
    await form.locator('input[name="timeZone"]').fill('Mars/Olympus')
    await form.locator('button[type="submit"]').click()
    await expect.poll(async () => form.innerText()).toContain('IANA')
    const tenant = await env.ctx.prisma.tenant.findFirstOrThrow({ where: { name: '阳光花园物业' } })
    expect(tenant.timeZone).toBe('Asia/Shanghai')
    expect(pageErrors).toEqual([])
  })
})
