import { describe, expect, it } from 'vitest'
import { runDueReminders } from '../../src/jobs/reminders.ts'
import { localParts } from '../../src/domain/time.ts'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'

// Monday 2026-11-23 10:00 in Shanghai.
const env = await setupTestEnv()
const world = await startDemoWorld(env)
const prisma = env.ctx.prisma
const tenantId = world.demo.tenantId
const desk = consoleGroup(env, world.group('front_desk'))
const management = consoleGroup(env, world.group('management'))
const agent = world.member('agent')
const technician = world.member('technician')
const numberOf = (text: string) => Number(/预约#(\d+)/.exec(text)?.[1])
const at = async (iso: string) => {
  env.clock.set(new Date(iso))
  await runDueReminders(env.ctx, world.services.fireReminder, env.clock.now())
}
const bookingNo = (number: number) => prisma.booking.findFirstOrThrow({ where: { tenantId, number } })

describe('home cleaning', () => {
  it('reminds the agent to call the customer 2 hours after booking, then the supervisors; 确认 stops it', async () => {
    env.clock.set(new Date('2026-11-23T02:00:00Z'))
    const late = numberOf(await desk.say(agent, '预约 保洁 3-2-501 周三上午 陈先生 13700001111'))
    const called = numberOf(await desk.say(agent, '预约 保洁 5-1-302 周三上午 周女士'))
    env.clock.set(new Date('2026-11-23T03:59:00Z'))
    expect(await desk.say(agent, `确认 #${called}`)).toContain('已确认')

    await at('2026-11-23T03:59:30Z') // 11:59:30: not yet
    expect(await desk.count(/仍未与客人确认上门时间/)).toBe(0)
    await at('2026-11-23T04:00:00Z') // 12:00
    const reminder = await desk.expectMessage(new RegExp(`预约#${late} .*仍未与客人确认上门时间`))
    expect(reminder).toContain('137****1111')
    await at('2026-11-23T04:30:00Z')
    expect(await management.expectMessage(new RegExp(`预约#${late} .*请主管跟进`))).toContain('@刘主管')
    expect(await desk.count(new RegExp(`预约#${called} .*仍未与客人确认`))).toBe(0)
    expect(await management.count(/请主管跟进/)).toBe(1)
  })

  it('a completed visit gets its same-day follow-up', async () => {
    env.clock.set(new Date('2026-11-23T05:00:00Z'))
    const n = numberOf(await desk.say(agent, '预约 保洁 8-2-201 周四上午 吴先生'))
    await desk.say(agent, `确认 #${n}`)
    env.clock.set(new Date('2026-11-26T01:10:00Z')) // Thursday 09:10
    expect(await desk.say(agent, `到店 #${n}`)).toContain('已到店')
    env.clock.set(new Date('2026-11-26T04:00:00Z'))
    expect(await desk.say(technician, `完成预约 #${n}`)).toContain('今天内请回访客人')
    const booking = await bookingNo(n)
    expect(booking.status).toBe('completed')
    const followUps = await prisma.followUp.findMany({ where: { bookingId: booking.id } })
    expect(followUps).toHaveLength(1)
    expect(followUps[0].kind).toBe('service_callback')
    const due = localParts(followUps[0].dueBy, 'Asia/Shanghai')
    expect([due.month, due.day]).toEqual([11, 26])
  })
})

describe('an elder-care bed', () => {
  it('is held 5 working days after the deposit across National Day and released on the 6th', async () => {
    // chinese-days, 2026: Oct 1–7 off; Sep 20 (Sun) and Oct 10 (Sat) are make-up working days.
    // An office open Monday to Friday: deposit Tue Sep 29 → Sep 30, Oct 8, 9, 10 (make-up), 12
    // held → released at the opening of Tue Oct 13.
    const original = await prisma.tenant.findUniqueOrThrow({ where: { id: tenantId } })
    await prisma.tenant.update({ where: { id: tenantId }, data: { businessHours: { days: [1, 2, 3, 4, 5], start: '08:30', end: '17:30' } } })
    const bed = await prisma.resource.create({ data: { tenantId, name: '床位101', kind: 'bed', opensAt: '00:00', closesAt: '23:59', slotMinutes: 60, defaultMinutes: 60 } })
    env.clock.set(new Date('2026-09-29T02:00:00Z'))
    const result = await world.services.bookings.create({ tenantId, createdById: agent, groupId: world.group('front_desk'), resourceId: bed.id, startsAt: new Date('2026-10-20T01:00:00Z'), endsAt: new Date('2026-10-20T02:00:00Z'), customerName: '孙奶奶家属', depositCents: 500000 })
    expect(result.booking.status).toBe('unconfirmed')
    const hold = await prisma.reminder.findFirstOrThrow({ where: { subjectId: result.booking.id, kind: 'booking.hold_expiry' } })
    const end = localParts(hold.dueAt, 'Asia/Shanghai')
    expect([end.month, end.day]).toEqual([10, 13])

    // The evening audits of the holiday leave a held bed alone.
    expect((await world.services.bookings.sweepAudits(new Date('2026-09-29T10:00:00Z'))).flatMap((a) => a.removed)).not.toContain(result.booking.number)
    await at('2026-10-12T15:00:00Z') // Oct 12 23:00: still held
    expect((await bookingNo(result.booking.number)).status).toBe('unconfirmed')
    await at(hold.dueAt.toISOString())
    const released = await bookingNo(result.booking.number)
    expect(released).toMatchObject({ status: 'removed', removedReason: 'hold_expired' })
    expect(await desk.expectMessage(new RegExp(`预约#${result.booking.number} .*保留 5 个工作日已满`))).toContain('床位已释放')
    expect(hold.dueAt).toEqual(new Date('2026-10-13T00:30:00Z')) // 08:30 local
    await prisma.tenant.update({ where: { id: tenantId }, data: { businessHours: original.businessHours ?? undefined } })
  })
})

describe('a gathering with preparations', () => {
  it('needs 3 days notice, and chases each role every morning until it says 已准备', async () => {
    await prisma.resource.update({ where: { tenantId_name: { tenantId, name: '多功能厅' } }, data: { prepRoles: ['technician', 'agent'], minNoticeMinutes: 3 * 24 * 60 } })
    env.clock.set(new Date('2026-11-23T02:00:00Z'))
    expect(await desk.say(agent, '预订 多功能厅 明天9:00-12:00 王女士 13912345678 定金200')).toContain('至少提前 72 小时')
    const n = numberOf(await desk.say(agent, '预订 多功能厅 11月28日 9:00-12:00 王女士 13912345678 定金200'))
    expect(n).toBeGreaterThan(0)

    await at('2026-11-24T01:00:00Z') // Tuesday 09:00
    const first = await desk.expectMessage(new RegExp(`预约#${n} .*准备工作尚未确认：工程、前台`))
    expect(first).toContain('@张师傅')
    expect(first).toContain('@前台小李')
    expect(await desk.say(technician, `已准备 #${n}`)).toContain('尚未确认：前台')

    await at('2026-11-25T01:00:00Z') // Wednesday 09:00: the desk only
    const second = await desk.expectMessage(new RegExp(`预约#${n} .*准备工作尚未确认：前台。`))
    expect(second).not.toContain('@张师傅')
    expect(await desk.say(agent, `已准备 #${n}`)).toContain('各岗位都已准备好')

    await at('2026-11-26T01:00:00Z')
    await at('2026-11-27T01:00:00Z')
    expect(await desk.count(new RegExp(`预约#${n} .*准备工作尚未确认`))).toBe(2)
  })
})

describe('a moved booking', () => {
  it('is reminded the day before its new time only', async () => {
    env.clock.set(new Date('2026-11-23T02:00:00Z'))
    const n = numberOf(await desk.say(agent, '预约 会议室A 11月25日14:00-15:00 钱先生 13600001234'))
    expect(await desk.say(agent, `改期 #${n} 11月26日下午3点`)).toContain('已改期')
    const reminded = new RegExp(`明日预约提醒：预约#${n} `)
    await at('2026-11-24T02:00:00Z') // the day before the old date, 10:00
    expect(await desk.count(reminded)).toBe(0)
    await at('2026-11-25T02:00:00Z') // the day before the new date
    expect(await desk.expectMessage(reminded)).toContain('11月26日 15:00–16:00')
    await at('2026-11-25T03:00:00Z')
    expect(await desk.count(reminded)).toBe(1)
  })
})
