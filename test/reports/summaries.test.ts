import { describe, expect, it } from 'vitest'
import { CHART_HEIGHT, CHART_WIDTH } from '../../src/domain/reports/chart.ts'
import { runGroupSummaries, syncSummarySchedulers } from '../../src/jobs/summaries.ts'
import { setupTestEnv } from '../support/harness.ts'

const env = await setupTestEnv()
const { ctx } = env
const prisma = ctx.prisma
const tenant = await prisma.tenant.create({ data: { name: '日报物业' } })
const groups = await Promise.all(
  (['front_desk', 'maintenance', 'management', 'customer_service'] as const).map((purpose) =>
    prisma.chatGroup.create({ data: { tenantId: tenant.id, platform: 'console', externalId: `g-${purpose}`, name: purpose, purpose } }),
  ),
)

/** All keys of this file's prefix, as FLUSHALL would leave them for this deployment. */
async function flushPrefix() {
  const keys = await ctx.redis.keys(`${env.prefix}*`)
  if (keys.length) await ctx.redis.del(...keys)
}

async function summarySchedulers() {
  return (await ctx.queues.maintenance.getJobSchedulers(0, -1, true)).filter((s) => s.key.startsWith('summary:'))
}

describe('summary schedulers follow the database', () => {
  it('each group gets its own daily and weekly scheduler at its time, in the tenant zone', async () => {
    await syncSummarySchedulers(ctx)
    const schedulers = await summarySchedulers()
    expect(schedulers).toHaveLength(8)
    const daily = schedulers.find((s) => s.key === `summary:daily:${groups[0].id}`)
    expect(daily).toMatchObject({ pattern: '0 18 * * *', tz: 'Asia/Shanghai' })
  })

  it('a re-timed group moves its schedule; an unbound group loses it; a flush loses none', async () => {
    await prisma.chatGroup.update({ where: { id: groups[1].id }, data: { summaryTime: '17:30' } })
    await syncSummarySchedulers(ctx)
    const moved = (await summarySchedulers()).find((s) => s.key === `summary:daily:${groups[1].id}`)!
    expect(moved.pattern).toBe('30 17 * * *')
    // The next run is 17:30 Shanghai time (09:30 UTC).
    expect(new Date(moved.next!).getUTCHours() * 60 + new Date(moved.next!).getUTCMinutes()).toBe(9 * 60 + 30)

    const extra = await prisma.chatGroup.create({ data: { tenantId: tenant.id, platform: 'console', externalId: 'g-extra', name: 'extra', purpose: 'front_desk' } })
    await syncSummarySchedulers(ctx)
    expect(await summarySchedulers()).toHaveLength(10)
    await prisma.chatGroup.delete({ where: { id: extra.id } })
    await syncSummarySchedulers(ctx)
    expect((await summarySchedulers()).map((s) => s.key)).not.toContain(`summary:daily:${extra.id}`)

    await flushPrefix()
    expect(await summarySchedulers()).toHaveLength(0)
    await syncSummarySchedulers(ctx)
    expect(await summarySchedulers()).toHaveLength(8)
  })
})

describe('posting a summary', () => {
  it('two workers running the same group at once post one message, stored with its SummaryRun', async () => {
    const now = new Date('2030-03-06T10:00:00Z') // 18:00 in Shanghai
    const posted = await Promise.all([
      runGroupSummaries(ctx, { groupId: groups[2].id, report: 'daily', now }),
      runGroupSummaries(ctx, { groupId: groups[2].id, report: 'daily', now }),
    ])
    expect(posted.reduce((a, b) => a + b, 0)).toBe(1)
    // Run again later (a retried job): nothing more.
    expect(await runGroupSummaries(ctx, { groupId: groups[2].id, report: 'daily', now })).toBe(0)
    const runs = await prisma.summaryRun.findMany({ where: { groupId: groups[2].id } })
    expect(runs).toMatchObject([{ forDate: '2030-03-06', status: 'sent' }])
    const messages = await prisma.outgoingMessage.findMany({ where: { groupId: groups[2].id } })
    expect(messages).toHaveLength(1)
    expect(messages[0].id).toBe(runs[0].messageId)
    expect((messages[0].payload as { heading: string }).heading).toBe('管理日报 2030-03-06')
  })

  it('the last day of the month adds the monthly report; Monday morning posts the week before', async () => {
    const lastDay = new Date('2030-03-31T10:00:00Z')
    expect(await runGroupSummaries(ctx, { groupId: groups[0].id, report: 'daily', now: lastDay })).toBe(3) // day, month, quarter
    const keys = (await prisma.summaryRun.findMany({ where: { groupId: groups[0].id } })).map((r) => r.forDate).sort()
    expect(keys).toEqual(['2030-03-31', 'month:2030-03', 'quarter:2030-01-01'])
    expect(await runGroupSummaries(ctx, { groupId: groups[0].id, report: 'weekly', now: new Date('2030-04-01T01:00:00Z') })).toBe(1)
    const week = await prisma.summaryRun.findFirstOrThrow({ where: { groupId: groups[0].id, forDate: { startsWith: 'week:' } } })
    expect(week.forDate).toBe('week:2030-03-25')
  })

  it('the daily summary carries a 7-day trend chart: a PNG of the expected size', async () => {
    const message = await prisma.outgoingMessage.findFirstOrThrow({ where: { groupId: groups[2].id } })
    const imageId = (message.payload as { image?: { id: string } }).image?.id
    expect(imageId).toBeTruthy()
    const image = await prisma.reportImage.findUniqueOrThrow({ where: { id: imageId! } })
    const png = Buffer.from(image.png)
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR')
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([CHART_WIDTH, CHART_HEIGHT])
  })
})
