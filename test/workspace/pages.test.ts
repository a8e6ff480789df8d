import { describe, expect, it } from 'vitest'
import { setupTestEnv } from '../support/harness.ts'
import { createTenant, seedTicket, signedIn, staffAccount } from './support.ts'

const env = await setupTestEnv()
const ours = await createTenant(env, '阳光物业')
const theirs = await createTenant(env, '月亮物业')
const director = await staffAccount(env, ours, ['supervisor'], '王主任')
const technician = await staffAccount(env, ours, ['technician'], '张师傅')
const now = env.clock.now()

const leak = await seedTicket(env, ours, { unit: '3-2-501', description: '厨房水管漏水', contactPhone: '13800138000', priority: 'urgent', resolveBy: new Date(now.getTime() - 60_000) })
await seedTicket(env, ours, { kind: 'complaint', unit: '5-1-101', description: '楼道噪音', status: 'done' })
await seedTicket(env, ours, { unit: '7-7-707', description: '=HYPERLINK("http://evil")', contactPhone: '+8613900000000' })
const foreign = await seedTicket(env, theirs, { unit: '9-9-909', description: '别家的秘密工单', contactPhone: '13700000000' })
const foreignResource = await env.ctx.prisma.resource.create({ data: { tenantId: theirs, name: '别家会议室' } })
await env.ctx.prisma.booking.create({
  data: { tenantId: theirs, number: 1, resourceId: foreignResource.id, customerName: '别家客户', startsAt: now, endsAt: new Date(now.getTime() + 3_600_000), holdFrom: now, holdUntil: new Date(now.getTime() + 3_600_000) },
})

const get = async (url: string, account = director) => env.app.inject({ method: 'GET', url, cookies: await signedIn(env, account) })

describe('workspace pages', () => {
  it('filters tickets by kind, overdue and search by unit or phone', async () => {
    const complaints = await get('/workspace/tickets?kind=complaint')
    expect(complaints.body).toContain('楼道噪音')
    expect(complaints.body).not.toContain('厨房水管漏水')
    const overdue = await get('/workspace/tickets?overdue=1')
    expect(overdue.body).toContain(`#${leak.number}`)
    expect(overdue.body).not.toContain('楼道噪音')
    expect((await get('/workspace/tickets?q=0138000')).body).toContain('厨房水管漏水')
    expect((await get('/workspace/tickets?q=3-2')).body).toContain('厨房水管漏水')
    expect((await get('/workspace/tickets?q=3-2')).body).not.toContain('楼道噪音')
  })

  it('answers bad filters with a polite 400 page naming them, never a 500', async () => {
    const bad = await get('/workspace/tickets?status=flying&from=2026-13-40')
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('查询条件有误')
    expect(bad.body).toContain('status')
    expect(bad.body).toContain('from')
  })

  it('shows a ticket with its clocks, masking the phone number on screen', async () => {
    const page = await get(`/workspace/tickets/${leak.number}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('完成时限')
    expect(page.body).toContain('已超时')
    expect(page.body).toContain('8000')
    expect(page.body).not.toContain('13800138000')
  })

  it('exports tickets as UTF-8 CSV with a BOM and formula cells defused', async () => {
    const csv = await get('/workspace/tickets.csv')
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.body.startsWith('\uFEFF编号')).toBe(true)
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil"")"`)
    expect(csv.body).toContain("'+8613900000000")
    expect(csv.body).not.toContain('别家的秘密工单')
  })

  it('keeps exports and the follow-up queue from a technician, as the chat does', async () => {
    expect((await get('/workspace/tickets.csv', technician)).statusCode).toBe(403)
    expect((await get('/workspace/follow-ups', technician)).statusCode).toBe(403)
    expect((await get('/workspace/tickets', technician)).statusCode).toBe(200)
  })

  it('shows reports for a date range and bookings by week', async () => {
    const reports = await get('/workspace/reports?from=2026-11-01&to=2026-11-23')
    expect(reports.statusCode).toBe(200)
    expect(reports.body).toContain('<img src="/workspace/reports/chart.png?from=2026-11-01&amp;to=2026-11-23"')
    expect(reports.body).toContain('新报修')
    expect((await get('/workspace/bookings?view=week&date=2026-11-23')).statusCode).toBe(200)
  })

  it('switches to English and back', async () => {
    const cookies = await signedIn(env, director)
    const switched = await env.app.inject({ method: 'GET', url: '/workspace/lang?to=en-US&back=/workspace/tickets', cookies })
    expect(switched.headers.location).toBe('/workspace/tickets')
    const lang = switched.cookies.find((c) => c.name === 'fd_ws_lang')!.value
    const english = await env.app.inject({ method: 'GET', url: '/workspace/tickets', cookies: { ...cookies, fd_ws_lang: lang } })
    expect(english.body).toContain('Tickets')
    const offsite = await env.app.inject({ method: 'GET', url: '/workspace/lang?to=en-US&back=//evil.example/', cookies })
    expect(offsite.headers.location).toBe('/workspace/tickets')
  })
})

describe('tenant isolation', () => {
  // Every workspace route, each given the other tenant's ticket number, resource, member and dates.
  const routes = [
    `/workspace/tickets/${foreign.number}`,
    `/workspace/tickets?q=9-9-909`,
    `/workspace/tickets?unit=9-9`,
    `/workspace/tickets?q=13700000000`,
    `/workspace/tickets.csv?q=9-9`,
    `/workspace/tickets.csv`,
    `/workspace/follow-ups`,
    `/workspace/follow-ups.csv`,
    `/workspace/bookings?resource=${foreignResource.id}&view=week`,
    `/workspace/bookings.csv?resource=${foreignResource.id}&view=week`,
    `/workspace/bookings?view=week`,
    `/workspace/reports?from=2026-11-01&to=2026-11-30`,
  ]

  it.each(routes)('%s shows nothing of the other tenant', async (url) => {
    const response = await get(url)
    expect(response.statusCode).toBeLessThan(500)
    // Search terms are echoed in the filter form, so the check is for the other tenant's records themselves.
    for (const secret of ['别家的秘密工单', '别家会议室', '别家客户', `>#${foreign.number}<`]) expect(response.body).not.toContain(secret)
  })

  it('answers the other tenant ticket number with not found', async () => {
    const response = await get(`/workspace/tickets/${foreign.number}`)
    expect(response.statusCode).toBe(404)
    expect(response.body).toContain('没有找到该记录')
  })
})
