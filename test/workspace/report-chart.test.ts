import { describe, expect, it } from 'vitest'
import { CHART_HEIGHT, CHART_WIDTH, trendChartPng, trendChartSvg } from '../../src/domain/reports/chart.ts'
import { trend } from '../../src/domain/reports/index.ts'
import { setupTestEnv } from '../support/harness.ts'
import { createTenant, seedTicket, signedIn, staffAccount } from './support.ts'

const env = await setupTestEnv()
const ours = await createTenant(env, '阳光物业')
const theirs = await createTenant(env, '月亮物业')
const director = await staffAccount(env, ours, ['supervisor'], '王主任')
const otherDirector = await staffAccount(env, theirs, ['supervisor'], '李主任')
const technician = await staffAccount(env, ours, ['technician'], '张师傅')
for (const day of [3, 3, 10, 17, 20]) await seedTicket(env, ours, { createdAt: new Date(`2026-11-${String(day).padStart(2, '0')}T03:00:00Z`) })

const RANGE = 'from=2026-11-01&to=2026-11-23'
const fetchChart = async (account: typeof director, query = RANGE, lang?: string) =>
  env.app.inject({ method: 'GET', url: `/workspace/reports/chart.png?${query}`, cookies: { ...(await signedIn(env, account)), ...(lang ? { fd_ws_lang: lang } : {}) } })

const rangeTitle = { zh: '2026-11-01 至 2026-11-23 趋势', en: 'Trend 2026-11-01 to 2026-11-23' }
/** What the chat's renderer draws for that tenant and range, titled with the range. */
const chatChart = async (tenantId: string, locale: 'zh' | 'en') => trendChartPng(await trend(env.ctx.prisma, { tenantId, days: 23, until: '2026-11-23' }), locale, rangeTitle[locale]).png

describe('the reports chart', () => {
  it("is the chat's PNG for the range: a real PNG of the drawn size, the same bytes the summary renderer makes", async () => {
    const response = await fetchChart(director)
    expect(response.statusCode).toBe(200)
    expect(response.headers['content-type']).toBe('image/png')
    expect(response.headers['cache-control']).toBe('no-store')
    const png = response.rawPayload
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR')
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([CHART_WIDTH, CHART_HEIGHT])
    expect(png.equals(await chatChart(ours, 'zh'))).toBe(true)
    // In English the labels follow the page's language.
    expect((await fetchChart(director, RANGE, 'en-US')).rawPayload.equals(await chatChart(ours, 'en'))).toBe(true)
  })

  it("is titled with the range it draws, not the summaries' 7 days, which keep their title", async () => {
    const november = await trend(env.ctx.prisma, { tenantId: ours, days: 23, until: '2026-11-23' })
    const titled = trendChartSvg(november, 'zh', rangeTitle.zh)
    expect(titled).toContain(rangeTitle.zh)
    expect(titled).not.toContain('近7日趋势')
    expect(trendChartSvg(november, 'en', rangeTitle.en)).toContain(rangeTitle.en)
    // The route's picture is the range-titled one, not the chat's default title.
    const served = (await fetchChart(director)).rawPayload
    expect(served.equals(trendChartPng(november, 'zh').png)).toBe(false)
    expect(served.equals(await chatChart(ours, 'zh'))).toBe(true)
    // A summary's week still reads 近7日趋势 / Last 7 days.
    const week = await trend(env.ctx.prisma, { tenantId: ours, days: 7, until: '2026-11-23' })
    expect(trendChartSvg(week, 'zh')).toContain('近7日趋势')
    expect(trendChartSvg(week, 'en')).toContain('Last 7 days')
  })

  it('names the days it draws when a long range is cut to the last 92', async () => {
    const served = (await fetchChart(director, 'from=2026-01-01&to=2026-11-23')).rawPayload
    const drawn = await trend(env.ctx.prisma, { tenantId: ours, days: 92, until: '2026-11-23' })
    expect(drawn.dates[0]).toBe('2026-08-24')
    expect(served.equals(trendChartPng(drawn, 'zh', '2026-08-24 至 2026-11-23 趋势').png)).toBe(true)
  })

  it("never draws another tenant's figures: the same URL gives each member their own tenant's chart", async () => {
    const mine = (await fetchChart(director)).rawPayload
    const theirsChart = (await fetchChart(otherDirector)).rawPayload
    expect(theirsChart.equals(await chatChart(theirs, 'zh'))).toBe(true)
    expect(theirsChart.equals(mine)).toBe(false)
    // A tenant id in the query is not a field the route reads: the session decides.
    const smuggled = await fetchChart(otherDirector, `${RANGE}&tenantId=${ours}`)
    expect(smuggled.rawPayload.equals(mine)).toBe(false)
  })

  it('is for signed-in staff whose role sees reports, and a bad range gets a polite 400', async () => {
    const anonymous = await env.app.inject({ method: 'GET', url: `/workspace/reports/chart.png?${RANGE}` })
    expect(anonymous.statusCode).toBe(303)
    expect((await fetchChart(technician)).statusCode).toBe(403)
    const bad = await fetchChart(director, 'from=2026-13-40')
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('查询条件有误')
  })

  it('is what the reports page shows, for the range it shows', async () => {
    const page = await env.app.inject({ method: 'GET', url: `/workspace/reports?from=2026-11-23&to=2026-11-01`, cookies: await signedIn(env, director) })
    expect(page.body).toContain(`<img src="/workspace/reports/chart.png?from=2026-11-01&amp;to=2026-11-23" width="${CHART_WIDTH}" height="${CHART_HEIGHT}"`)
    expect(page.body).not.toContain('<svg')
  })
})
