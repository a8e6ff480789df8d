import { describe, expect, it } from 'vitest'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoChat } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'
import { sleep } from '../support/wait.ts'

const env = await setupTestEnv()
// A Tuesday, 10:00 in Shanghai, in the future: BullMQ's own timers stay out of the way and the
// test moves time by hand.
const start = new Date('2030-01-08T02:00:00Z')
const { world, tenantId, frontDesk, maintenance, management, customerService, runDue } = await startDemoChat(env, start)
const prisma = env.ctx.prisma
const allGroups = [frontDesk, maintenance, management, customerService]

const customer = world.member('customer')
const agent = world.member('agent')
const technician = world.member('technician')
const supervisor = world.member('supervisor')
// A second technician, to act on 张师傅's tickets.
const zhao = await prisma.member.create({
  data: { tenantId, platform: 'console', externalUserId: 'demo-tech-zhao', name: '赵师傅', roles: ['technician'] },
})

const days = (n: number, minutes = 0) => new Date(start.getTime() + n * 24 * 3600_000 + minutes * 60_000)
const numberIn = (reply: string): number => {
  const number = Number(reply.match(/#(\d+)/)?.[1])
  expect(number, `a ticket number in "${reply}"`).toBeGreaterThan(1000)
  return number
}
const ticketOf = (number: number, tenant = tenantId) => prisma.ticket.findFirstOrThrow({ where: { tenantId: tenant, number } })
const refers = (number: number) => new RegExp(`#${number}(?!\\d)`)

describe('cancelling a ticket', () => {
  it('cancels all its pending reminders, and nothing about it is sent when their times pass', async () => {
    const created = await frontDesk.say(agent, '报修 3-2-501 厨房水管漏水 紧急 13800138000')
    const number = numberIn(created)
    await maintenance.expectMessage(new RegExp(`新报修 #${number}`))
    const ticket = await ticketOf(number)
    const before = await prisma.reminder.findMany({ where: { subjectId: ticket.id } })
    expect(before.map((r) => r.kind).sort()).toEqual([
      'repair.assignee_reminder',
      'repair.onsite_escalation',
      'repair.resolve_breach',
      'repair.resolve_warning',
      'repair.unassigned_alert',
    ])
    expect(before.every((r) => r.status === 'pending')).toBe(true)

    env.clock.set(days(0, 2))
    const answer = await frontDesk.say(agent, `取消 #${number} 业主已自行修好`)
    expect(answer).toContain(`工单 #${number} 已取消`)
    expect(answer).toContain('业主已自行修好')

    const after = await prisma.reminder.findMany({ where: { subjectId: ticket.id } })
    expect(after).toHaveLength(5)
    expect(after.map((r) => `${r.kind}:${r.status}`).filter((s) => !s.endsWith(':cancelled'))).toEqual([])
    for (const reminder of after) expect(await env.ctx.queues.reminders.getJob(reminder.id)).toBeUndefined()
    expect((await ticketOf(number)).status).toBe('cancelled')

    const seen = await Promise.all(allGroups.map((g) => g.count(refers(number))))
    // Past the 5-minute alert, the 15-minute escalation and the 4-hour resolution deadline.
    env.clock.set(days(3))
    expect(await runDue()).toBe(0)
    await sleep(500)
    expect(await Promise.all(allGroups.map((g) => g.count(refers(number))))).toEqual(seen)
    expect(await prisma.reminder.count({ where: { subjectId: ticket.id, status: { not: 'cancelled' } } })).toBe(0)
  })
})

describe('who may do what', () => {
  it('a customer cannot assign: a polite refusal naming the roles, and the ticket stays unassigned', async () => {
    env.clock.set(days(3, 10))
    const open = numberIn(await frontDesk.say(agent, '报修 5-1-302 门锁坏了'))
    const answer = await frontDesk.say(customer, `派单 #${open} @张师傅`)
    expect(answer).toContain('抱歉')
    expect(answer).toContain('「派单」需要以下角色之一：客服、主管、管理员')
    const ticket = await ticketOf(open)
    expect(ticket.status).toBe('open')
    expect(ticket.assigneeId).toBeNull()
    expect(await prisma.ticketEvent.count({ where: { ticketId: ticket.id, type: { in: ['assigned', 'reassigned', 'claimed'] } } })).toBe(0)
  })

  it('a technician cannot cancel someone else’s ticket, but may cancel his own', async () => {
    const number = numberIn(await frontDesk.say(agent, '报修 6-2-1201 卫生间下水堵了'))
    expect(await frontDesk.say(supervisor, `派单 #${number} @张师傅`)).toContain('已派给 张师傅')

    const refusal = await maintenance.say(zhao.id, `取消 #${number} 不想修`)
    expect(refusal).toContain(`工单 #${number} 不是您负责的`)
    const ticket = await ticketOf(number)
    expect(ticket.status).toBe('assigned')
    expect(ticket.assigneeId).toBe(technician)
    expect(ticket.cancelReason).toBeNull()

    expect(await maintenance.say(technician, `取消 #${number} 业主不在家，改天再约`)).toContain(`工单 #${number} 已取消，原因：业主不在家，改天再约`)
    expect((await ticketOf(number)).status).toBe('cancelled')
  })

  it('a customer may cancel their own report, but not someone else’s', async () => {
    const theirs = numberIn(await frontDesk.say(agent, '报修 8-1-101 窗户关不上'))
    const refusal = await frontDesk.say(customer, `取消 #${theirs} 不需要了`)
    expect(refusal).toBe(`工单 #${theirs} 不是您负责的，请联系负责人、客服或主管处理。`)
    expect((await ticketOf(theirs)).status).toBe('open')

    const own = numberIn(await frontDesk.say(customer, '报修 8-1-102 窗户关不上'))
    expect(await frontDesk.say(customer, `取消 #${own} 自己修好了`)).toContain(`工单 #${own} 已取消`)
    expect((await ticketOf(own)).status).toBe('cancelled')
  })

  it('illegal transitions are refused clearly and change nothing', async () => {
    const dropped = numberIn(await frontDesk.say(agent, '报修 8-2-202 厨房水管漏水'))
    expect(await frontDesk.say(supervisor, `派单 #${dropped} @张师傅`)).toContain('已派给 张师傅')
    expect(await frontDesk.say(agent, `取消 #${dropped} 业主已自行修好`)).toContain('已取消')
    const cancelled = await ticketOf(dropped)
    const completing = await maintenance.say(technician, `完成 #${cancelled.number} 更换角阀`)
    expect(completing).toBe(`工单 #${cancelled.number} 已取消，不能完成。`)
    const after = await ticketOf(cancelled.number)
    expect(after.status).toBe('cancelled')
    expect(after.workDone).toBeNull()
    expect(after.completedAt).toBeNull()

    const unassigned = numberIn(await frontDesk.say(agent, '报修 8-2-203 门锁坏了 紧急'))
    const arriving = await maintenance.say(technician, `到场 #${unassigned}`)
    expect(arriving).toBe(`工单 #${unassigned} 还没有派单，请先派单或接单再报到场。`)
    const stillOpen = await ticketOf(unassigned)
    expect(stillOpen.status).toBe('open')
    expect(stillOpen.arrivedAt).toBeNull()
  })

  it('a technician cannot claim a ticket someone else already holds', async () => {
    const number = numberIn(await frontDesk.say(agent, '报修 6-2-1202 热水器不出热水'))
    expect(await maintenance.say(technician, `接单 #${number}`)).toContain(`张师傅 已接单 #${number}`)
    expect(await maintenance.say(zhao.id, `接单 #${number}`)).toBe(`工单 #${number} 已由 张师傅 负责，如需改派请联系客服或主管。`)
    expect((await ticketOf(number)).assigneeId).toBe(technician)
  })
})

describe('repeat repairs', () => {
  const unit = '7-3-1101'
  const repeatNotice = /重复报修 #(\d+)/
  const created: number[] = []

  it('flags the third repair of the same unit and category within 90 days, and only that one', async () => {
    env.clock.set(days(4))
    const first = await frontDesk.say(agent, `报修 ${unit} 卫生间漏水`)
    const second = await frontDesk.say(agent, `报修 ${unit} 厨房水龙头滴水`)
    const otherKind = await frontDesk.say(agent, `报修 ${unit} 客厅插座没电`)
    env.clock.set(days(5))
    const third = await frontDesk.say(agent, `报修 ${unit} 马桶堵塞`)
    created.push(...[first, second, otherKind, third].map(numberIn))

    for (const reply of [first, second, otherKind]) {
      expect(reply).not.toContain('近 90 天')
      expect(reply).not.toContain('⚠')
    }
    expect(otherKind).toContain('类别：电')
    expect(third).toContain('类别：水')
    expect(third).toContain('⚠ 该房号同类报修近 90 天内已是第 3 次，已报告管理处。')

    const notice = await management.expectMessage(new RegExp(`重复报修 #${created[3]}`))
    expect(notice).toContain('@刘主管')
    expect(notice).toContain(`${unit} 的「水」报修 90 天内已第 3 次`)

    const flags = await prisma.ticket.findMany({ where: { tenantId, number: { in: created } }, orderBy: { number: 'asc' } })
    expect(flags.map((t) => t.repeatFlag)).toEqual([false, false, false, true])
  })

  it('says nothing to management about the first two or the other category', async () => {
    await sleep(500)
    const noticed = (await management.read()).filter((m) => !m.replyTo).map((m) => m.text.match(repeatNotice)?.[1]).filter(Boolean)
    expect(noticed).toEqual([String(created[3])])
  })

  it('does not count repairs older than 90 days', async () => {
    env.clock.set(days(5 + 91))
    const later = await frontDesk.say(agent, `报修 ${unit} 地漏反水`)
    expect(later).toContain('类别：水')
    expect(later).not.toContain('近 90 天')
    expect((await ticketOf(numberIn(later))).repeatFlag).toBe(false)
  })
})

describe('an unsatisfied follow-up', () => {
  it('reopens the ticket and tells the supervisors in the management group', async () => {
    env.clock.set(days(100))
    const number = numberIn(await frontDesk.say(agent, '报修 9-9-909 厨房水管漏水'))
    expect(await frontDesk.say(supervisor, `派单 #${number} @张师傅`)).toContain('已派给 张师傅')
    env.clock.set(days(100, 60))
    expect(await maintenance.say(technician, `完成 #${number} 更换水管接头`)).toContain(`工单 #${number} 已完成`)
    env.clock.set(days(100, 120))

    const answer = await frontDesk.say(agent, `回访 #${number} 不满意 2 还在漏`)
    expect(answer).toContain(`已记录 #${number} 的回访：不满意，2 分。`)
    expect(answer).toContain('工单已重新打开，并已通知主管')

    const told = await management.expectMessage(new RegExp(`回访不满意：#${number} 已重新打开`))
    expect(told).toContain('@刘主管')
    expect(told).toContain('评分：2/5')
    expect(told).toContain('意见：还在漏')

    const ticket = await ticketOf(number)
    expect(ticket.status).toBe('open')
    expect(ticket.assigneeId).toBeNull()
    expect(ticket.completedAt).toBeNull()
    const followUps = await prisma.followUp.findMany({ where: { ticketId: ticket.id } })
    expect(followUps).toHaveLength(1)
    expect(followUps[0]).toMatchObject({ status: 'done', outcome: 'unsatisfied', rating: 2, comment: '还在漏' })
    // A fresh round of SLA clocks from the reopening.
    const pending = await prisma.reminder.findMany({ where: { subjectId: ticket.id, status: 'pending' } })
    expect(pending.length).toBeGreaterThan(0)
    expect(pending.every((r) => r.dueAt > env.clock.now())).toBe(true)

    const shown = await frontDesk.say(agent, `查 #${number}`)
    expect(shown).toContain('状态：待派单')
    expect(shown).toContain('重开 (前台小李)')
  })
})

describe('tenants never see each other’s tickets', () => {
  it('another tenant cannot look up or assign this tenant’s ticket, and numbers its own from #1001', async () => {
    env.clock.set(days(101))
    // Two of this tenant's repairs of 2-1-201 (电): a third there would be a repeat.
    numberIn(await frontDesk.say(agent, '报修 2-1-201 卧室插座没电'))
    const mine = numberIn(await frontDesk.say(agent, '报修 2-1-201 客厅灯不亮'))
    const before = await ticketOf(mine)

    const other = await prisma.tenant.create({ data: { name: '另一家物业', timeZone: 'Asia/Shanghai' } })
    const otherDesk = await prisma.chatGroup.create({
      data: { tenantId: other.id, platform: 'console', externalId: 'other-front-desk', name: '乙前台群', purpose: 'front_desk' },
    })
    const member = (externalUserId: string, name: string, role: 'agent' | 'supervisor' | 'technician') =>
      prisma.member.create({ data: { tenantId: other.id, platform: 'console', externalUserId, name, roles: [role] } })
    const otherAgent = await member('other-agent', '乙前台', 'agent')
    const otherSupervisor = await member('other-supervisor', '乙主管', 'supervisor')
    await member('other-tech', '乙师傅', 'technician')
    const theirDesk = consoleGroup(env, otherDesk.id)
    const ownMaintenance = await maintenance.count(/./)

    expect(await theirDesk.say(otherAgent.id, `查 #${mine}`)).toBe(`没有找到工单 #${mine}，请核对单号。`)
    expect(await theirDesk.say(otherSupervisor.id, `派单 #${mine} @乙师傅`)).toBe(`没有找到工单 #${mine}，请核对单号。`)
    const after = await ticketOf(mine)
    expect(after).toEqual(before)
    expect(await prisma.ticketEvent.count({ where: { ticketId: before.id } })).toBe(1)

    const theirFirst = await theirDesk.say(otherAgent.id, '报修 2-1-201 客厅吊灯不亮')
    expect(theirFirst).toContain('已登记报修 #1001')
    expect(theirFirst).toContain('类别：电')
    // Same unit and category as this tenant's two, yet not a repeat: repeats are per tenant too.
    expect(theirFirst).not.toContain('近 90 天')
    const theirs = await prisma.ticket.findFirstOrThrow({ where: { tenantId: other.id } })
    expect(theirs).toMatchObject({ number: 1001, repeatFlag: false })
    // With no maintenance group of its own, the new repair is announced in its front desk, not here.
    await theirDesk.expectMessage(/新报修 #1001/)
    await sleep(500)
    expect(await maintenance.count(/./)).toBe(ownMaintenance)

    // #1001 means each tenant's own ticket.
    const ourFirst = await ticketOf(1001)
    const ours = await frontDesk.say(agent, '查 #1001')
    expect(ours).toContain(`内容：${ourFirst.description}`)
    expect(ours).not.toContain('客厅吊灯不亮')
    const theirsShown = await theirDesk.say(otherAgent.id, '查 #1001')
    expect(theirsShown).toContain('内容：客厅吊灯不亮')
    expect(theirsShown).toContain('登记 (乙前台)')
    expect(theirsShown).not.toContain('前台小李')
  })
})

describe('in English', () => {
  it('records a repair and assigns it with English replies', async () => {
    env.clock.set(days(102))
    const created = await frontDesk.say(agent, 'repair 3-2-501 kitchen leak urgent')
    const number = numberIn(created)
    expect(created).toContain(`Repair #${number} recorded`)
    expect(created).toContain('Priority: urgent')
    expect(created).toContain('On site by: today 10:15')
    expect(created).not.toMatch(/报修|到场时限|优先级/)

    const refused = await frontDesk.say(customer, `assign #${number} @张师傅`)
    expect(refused).toBe('Sorry, "assign" needs one of these roles: agent, supervisor, admin. Ask an admin.')

    const assigned = await frontDesk.say(supervisor, `assign #${number} @张师傅`)
    expect(assigned).toContain(`Ticket #${number} is assigned to 张师傅.`)
    expect(assigned).not.toContain('已派给')
    expect((await ticketOf(number)).assigneeId).toBe(technician)

    expect(await frontDesk.say(technician, `arrive #${number + 1000}`)).toBe(`There is no ticket #${number + 1000}; please check the number.`)
  })
})
