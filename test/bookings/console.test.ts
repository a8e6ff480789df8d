import { describe, expect, it } from 'vitest'
import { runDueReminders } from '../../src/jobs/reminders.ts'
import { applyEffects } from '../../src/jobs/effects.ts'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'

// Monday 2026-11-23 10:00 in Shanghai.
const env = await setupTestEnv()
const world = await startDemoWorld(env)
const prisma = env.ctx.prisma
const desk = consoleGroup(env, world.group('front_desk'))
const agent = world.member('agent')
const supervisor = world.member('supervisor')
const customer = world.member('customer')
const numberOf = (text: string) => Number(/预约#(\d+)/.exec(text)?.[1])

describe('booking through the console', () => {
  it('books with a number of its own, masks the phone, and lists the resources', async () => {
    const resources = await desk.say(agent, '资源')
    for (const name of ['会议室A', '多功能厅', '羽毛球场1号', '保洁']) expect(resources).toContain(name)
    const reply = await desk.say(agent, '预约 会议室A 明天下午2点到4点 张先生 13800138000')
    expect(reply).toMatch(/已登记预约#1/)
    expect(reply).toContain('138****8000')
    expect(reply).not.toContain('13800138000')
    expect(await desk.say(agent, '预约 #1')).toMatch(/会议室A[\s\S]*未确认/)
  })

  it('refuses an overlap (the 15-minute buffer counts), says what holds it and offers free ranges and the waitlist', async () => {
    const refused = await desk.say(agent, '预约 会议室A 明天16:00-17:00 李女士 13912345678')
    expect(refused).toContain('预约未成功')
    expect(refused).toContain('预约#1')
    expect(refused).toMatch(/最近的空闲时段：.*16:30/)
    expect(refused).toContain('排队')
    expect(await desk.say(agent, '预约 会议室A 明天16:15-17:00 李女士 13912345678')).toMatch(/预约未成功|30 分钟一档/)
    expect(await desk.say(agent, '预约 会议室A 明天16:30-17:30 李女士 13912345678')).toMatch(/已登记预约#\d+/)
  })

  it('lets a resource of capacity 2 take two overlapping bookings and refuses the third', async () => {
    expect(await desk.say(agent, '预约 保洁 3-2-501 周三上午 陈先生')).toMatch(/已登记预约#\d+/)
    expect(await desk.say(agent, '预约 保洁 5-1-302 周三上午 周女士')).toMatch(/已登记预约#\d+/)
    expect(await desk.say(agent, '预约 保洁 8-1-101 周三上午 吴先生')).toContain('预约未成功')
  })

  it('a deposit confirms; a hall that needs one refuses confirmation without it', async () => {
    const hall = await desk.say(agent, '预订 多功能厅 12月12日 9:00-12:00 王女士 13912345678')
    const n = numberOf(hall)
    expect(await desk.say(agent, `确认 #${n}`)).toContain('需收定金')
    expect(await desk.say(agent, `确认 #${n} 已收定金200元`)).toMatch(/已确认，已收定金 200 元/)
  })

  it('the 2-hour lock: the creator deletes at 1:59, not at 2:01; a supervisor still can', async () => {
    const start = env.clock.now()
    const a = numberOf(await desk.say(customer, '订 羽毛球场1号 周六上午10点 2小时'))
    const b = numberOf(await desk.say(customer, '订 羽毛球场1号 周六下午2点 1小时'))
    env.clock.set(new Date(start.getTime() + 119 * 60_000))
    expect(await desk.say(customer, `删除 #${a}`)).toContain(`预约#${a} 已删除`)
    env.clock.set(new Date(start.getTime() + 121 * 60_000))
    expect(await desk.say(customer, `删除 #${b}`)).toContain('已锁定，只有主管可以删除')
    expect(await desk.say(supervisor, `删除 #${b}`)).toContain(`预约#${b} 已删除`)
    env.clock.set(start)
  })

  it('cancellations need a reason and are counted for whoever cancelled', async () => {
    const n = numberOf(await desk.say(agent, '预约 会议室A 明天上午9点 周先生'))
    expect(await desk.say(agent, `取消预约 #${n}`)).toMatch(/原因/)
    expect(await desk.say(agent, `取消预约 #${n} 客人行程有变`)).toContain('已取消，原因：客人行程有变')
    const counts = await world.services.bookings.staffCounts({ tenantId: world.demo.tenantId, since: new Date(0), until: new Date('2100-01-01') })
    expect(counts.find((c) => c.memberId === agent)).toMatchObject({ cancellations: 1, noShows: 0 })
  })
})

describe('the 18:00 audit', () => {
  it('removes the unconfirmed bookings due to be confirmed by today (starting by tomorrow), once, and tells the front desk why', async () => {
    const tenantId = world.demo.tenantId
    // Made today (Monday): Tuesday's are due now; Wednesday's and later keep until a later audit.
    const dueBy = new Date('2026-11-24T16:00:00Z') // Wednesday 00:00 local
    const before = await prisma.booking.findMany({ where: { tenantId } })
    const unconfirmed = before.filter((b) => b.status === 'unconfirmed')
    const due = unconfirmed.filter((b) => b.startsAt < dueBy).map((b) => b.number).sort()
    const later = unconfirmed.filter((b) => b.startsAt >= dueBy).map((b) => b.number)
    const confirmed = before.filter((b) => b.status === 'confirmed').map((b) => b.number)
    expect(due.length).toBeGreaterThan(0)
    expect(later.length).toBeGreaterThan(0)
    expect(confirmed.length).toBeGreaterThan(0)

    expect(await world.services.bookings.sweepAudits(new Date('2026-11-23T09:59:00Z'))).toEqual([]) // 17:59
    const [audit] = await world.services.bookings.sweepAudits(new Date('2026-11-23T10:00:00Z'))
    await applyEffects(env.ctx, audit)
    expect(audit.removed.sort()).toEqual(due)
    expect(await world.services.bookings.sweepAudits(new Date('2026-11-23T10:05:00Z'))).toEqual([])

    const after = await prisma.booking.findMany({ where: { tenantId } })
    expect(after.filter((b) => confirmed.includes(b.number)).every((b) => b.status === 'confirmed')).toBe(true)
    expect(after.filter((b) => due.includes(b.number)).every((b) => b.status === 'removed' && b.removedReason === 'audit')).toBe(true)
    expect(after.filter((b) => later.includes(b.number)).every((b) => b.status === 'unconfirmed')).toBe(true)
    const report = await desk.expectMessage(/预约稽核：已删除/)
    for (const n of due) expect(report).toContain(`预约#${n} `)
    for (const n of later) expect(report).not.toContain(`预约#${n} `)
    expect(report).toContain('18:00 稽核时仍未确认')
    expect(await prisma.bookingAuditRun.count({ where: { tenantId } })).toBe(1)

    // Tuesday's audit: yesterday's bookings left unconfirmed are due now, whatever their date.
    const [next] = await world.services.bookings.sweepAudits(new Date('2026-11-24T10:00:00Z'))
    await applyEffects(env.ctx, next)
    expect(next.removed.sort()).toEqual(later.sort())
    const [stillConfirmed] = [await prisma.booking.count({ where: { tenantId, number: { in: confirmed }, status: 'confirmed' } })]
    expect(stillConfirmed).toBe(confirmed.length)
  })
})

describe('no-show and the waitlist', () => {
  it('turns no-show at start + 1 h, frees the rest of the slot, and offers it to the first in line only', async () => {
    // Tuesday 2026-11-24 08:00 local.
    env.clock.set(new Date('2026-11-24T00:00:00Z'))
    const n = numberOf(await desk.say(agent, '预约 会议室A 今天9:00-12:00 郑先生 13700001111'))
    expect(await desk.say(agent, `确认 #${n}`)).toContain('已确认')
    expect(await desk.say(agent, '预约 会议室A 今天10:30-12:00 冯女士 13600002222')).toContain('预约未成功')
    expect(await desk.say(agent, '排队 会议室A 今天10:30-12:00 冯女士 13600002222')).toMatch(/排队#1[\s\S]*排第 1 位/)
    expect(await desk.say(agent, '排队 会议室A 今天10:30-12:00 韩先生 13500003333')).toMatch(/排第 2 位/)

    env.clock.set(new Date('2026-11-24T01:59:00Z')) // 09:59: not yet
    await runDueReminders(env.ctx, world.services.fireReminder, env.clock.now())
    expect((await prisma.booking.findFirstOrThrow({ where: { tenantId: world.demo.tenantId, number: n } })).status).toBe('confirmed')

    env.clock.set(new Date('2026-11-24T02:00:30Z')) // 10:00, start + 1 h
    await runDueReminders(env.ctx, world.services.fireReminder, env.clock.now())
    expect((await prisma.booking.findFirstOrThrow({ where: { tenantId: world.demo.tenantId, number: n } })).status).toBe('no_show')
    expect(await desk.expectMessage(new RegExp(`预约#${n} .*已记为未到店`))).toContain('场地已释放')
    const offer = await desk.expectMessage(/有空位了/)
    expect(offer).toContain('排队#1')
    expect(offer).toContain('冯女士')
    expect(offer).not.toContain('韩先生')
    // The late guest can still be checked in from the no-show list while the lane is free.
    expect(await desk.say(agent, `到店 #${n}`)).toContain('已到店')
  })
})
