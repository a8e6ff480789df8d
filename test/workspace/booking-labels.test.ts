import { describe, expect, it } from 'vitest'
import { setupTestEnv } from '../support/harness.ts'
import { createTenant, signedIn, staffAccount } from './support.ts'

const env = await setupTestEnv()
const tenantId = await createTenant(env, '阳光物业')
const director = await staffAccount(env, tenantId, ['supervisor'], '王主任')
const now = env.clock.now()
const resource = await env.ctx.prisma.resource.create({ data: { tenantId, name: '保洁' } })
const booking = await env.ctx.prisma.booking.create({
  data: { tenantId, number: 42, resourceId: resource.id, customerName: '刘女士', startsAt: now, endsAt: new Date(now.getTime() + 3_600_000), holdFrom: now, holdUntil: new Date(now.getTime() + 3_600_000) },
})
await env.ctx.prisma.followUp.create({ data: { tenantId, bookingId: booking.id, kind: 'service', dueFrom: now, dueBy: new Date(now.getTime() + 3_600_000) } })

async function page(url: string, lang?: string) {
  const cookies = { ...(await signedIn(env, director)), ...(lang ? { fd_ws_lang: lang } : {}) }
  return (await env.app.inject({ method: 'GET', url, cookies })).body
}

describe('booking numbers in the workspace', () => {
  it('are 预约#N in Chinese and Booking #N in English, on the follow-up queue, its CSV and the bookings page', async () => {
    expect(await page('/workspace/follow-ups')).toContain('预约#42 刘女士')
    const english = await page('/workspace/follow-ups', 'en-US')
    expect(english).toContain('Booking #42 刘女士')
    expect(english).not.toContain('预约#')
    expect(await page('/workspace/follow-ups.csv', 'en-US')).toContain('Booking #42 刘女士')
    const day = now.toISOString().slice(0, 10)
    expect(await page(`/workspace/bookings?date=${day}`, 'en-US')).toContain('Booking #42')
    expect(await page(`/workspace/bookings?date=${day}`)).toContain('预约#42')
  })
})
