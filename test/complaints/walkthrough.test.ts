import { describe, expect, it } from 'vitest'
import { adminClient } from '../admin/helpers.ts'
import { startDemoChat } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'
import { sleep } from '../support/wait.ts'

const env = await setupTestEnv()
// Tuesday 2030-01-08, 10:05 in Shanghai (business hours 08:30–17:30); time moves by hand.
const start = new Date('2030-01-08T02:05:00Z')
const { world, tenantId, frontDesk, maintenance, management, runDue, ticketOf } = await startDemoChat(env, start)
const prisma = env.ctx.prisma
const agent = world.member('agent')
const technician = world.member('technician')
const supervisor = world.member('supervisor')
// Set up the way an admin does: through the admin API, so what 转交 reads is what the API stores.
const department = await adminClient(env).post(`/tenants/${tenantId}/departments`, {
  name: '工程部',
  aliases: ['工程'],
  groupId: world.group('maintenance'),
  headIds: [technician],
  limitHours: { effective: 4 },
})
expect(department.statusCode, department.body).toBe(201)

const at = (hours: number, minutes = 0) => new Date(start.getTime() + hours * 3600_000 + minutes * 60_000)
const numberIn = (reply: string): number => {
  const number = Number(reply.match(/#(\d+)/)?.[1])
  expect(number, `a number in "${reply}"`).toBeGreaterThan(1000)
  return number
}

describe('a complaint from receipt to follow-up', () => {
  it('received at 9:20 and recorded at 10:05 is flagged late; routed, handled, answered the same day, followed up; unsatisfied reopens it', async () => {
    const created = await frontDesk.say(agent, '投诉 3-2-501 楼上装修噪音太大 13912345678 收到 9:20')
    const number = numberIn(created)
    expect(created).toContain(`已登记投诉 #${number}`)
    expect(created).toContain('收到 45 分钟后才登记')
    expect(created).toContain('139****5678')
    const recorded = await ticketOf(number)
    expect(recorded).toMatchObject({ kind: 'complaint', complaintType: 'effective', recordedLate: true, status: 'open', contactPhone: '13912345678', category: '噪音' })
    expect(recorded.receivedAt?.toISOString()).toBe('2030-01-08T01:20:00.000Z')

    const routed = await frontDesk.say(agent, `转交 #${number} 工程`)
    expect(routed).toContain(`投诉 #${number} 已转交工程部`)
    // The department's head hears of it in the department's group, with the deadline (4 h from receipt).
    const notice = await maintenance.expectMessage(new RegExp(`投诉 #${number} 转交工程部处理`))
    expect(notice).toContain('@张师傅')
    expect(notice).toContain('13:20')

    env.clock.set(at(2))
    const handled = await maintenance.say(technician, `处理 #${number} 已联系装修户，晚上8点后停工`)
    expect(handled).toContain(`投诉 #${number} 已处理`)
    const followUp = await prisma.followUp.findFirstOrThrow({ where: { ticketId: recorded.id } })
    expect(followUp).toMatchObject({ kind: 'complaint', status: 'pending', assigneeId: technician })
    // Within 3 days of handling: close of business on Friday the 11th.
    expect(followUp.dueBy.toISOString()).toBe('2030-01-11T09:30:00.000Z')

    env.clock.set(at(3))
    expect(await frontDesk.say(agent, `答复 #${number} 已电话告知业主处理结果`)).toContain('已记录投诉')
    env.clock.set(at(10))
    await runDue()
    expect(await frontDesk.count(new RegExp(`投诉 #${number} 今天还没有答复`))).toBe(0)

    env.clock.set(at(24))
    const unhappy = await frontDesk.say(agent, `回访 #${number} 不满意 2 晚上还在施工`)
    expect(unhappy).toContain(`已记录 #${number} 的回访：不满意，2 分。`)
    const reopened = await ticketOf(number)
    expect(reopened.status).toBe('assigned')
    expect(reopened.completedAt).toBeNull()
    await management.expectMessage(new RegExp(`投诉 #${number} 回访不满意，退回处理`))
    await maintenance.expectMessage(new RegExp(`投诉 #${number} 回访不满意，退回处理`))

    const shown = await frontDesk.say(agent, `查 #${number}`)
    expect(shown).toContain(`投诉 #${number}`)
    for (const step of ['登记', '转交', '处理', '答复', '回访', '重开']) expect(shown).toContain(step)
  })

  it('a major complaint reaches the managers at once, and its follow-up is a manager’s', async () => {
    env.clock.set(at(25))
    const created = await frontDesk.say(agent, '投诉 地下车库B2 保安态度很差 重大 13800001111')
    const number = numberIn(created)
    expect(created).toContain('已立即通知经理')
    const notice = await management.expectMessage(new RegExp(`重大投诉 #${number}`))
    expect(notice).toContain('@刘主管')
    expect((await ticketOf(number)).unit).toBe('地下车库B2')
    await frontDesk.say(agent, `处理 #${number} 已批评教育当班保安并道歉`)
    const followUp = await prisma.followUp.findFirstOrThrow({ where: { ticket: { number, tenantId } } })
    expect(followUp.assigneeId).toBe(supervisor)
  })

  it('the second complaint about the same matter from the same phone is flagged and reported', async () => {
    env.clock.set(at(26))
    const first = await frontDesk.say(agent, '投诉 8-1-101 楼道垃圾没人清理 13700002222')
    expect(first).not.toContain('已投诉')
    const second = await frontDesk.say(agent, '投诉 9-9-909 垃圾桶满了好几天 13700002222')
    const number = numberIn(second)
    expect(second).toContain('近 90 天内就此类问题已投诉 2 次')
    expect((await ticketOf(number)).repeatFlag).toBe(true)
    await management.expectMessage(new RegExp(`重复投诉 #${number}`))
  })
})

describe('the same-day answer', () => {
  it('no 答复 by close of business reminds the agent, then escalates to the supervisors, once each', async () => {
    env.clock.set(new Date('2030-01-15T02:00:00Z'))
    const number = numberIn(await frontDesk.say(agent, '投诉 5-1-302 电梯经常停运 13600003333'))
    await frontDesk.say(agent, `处理 #${number} 已维修电梯控制板`)
    env.clock.set(new Date('2030-01-15T09:31:00Z'))
    await runDue()
    const reminder = new RegExp(`投诉 #${number} 今天还没有答复投诉人`)
    expect(await frontDesk.expectMessage(reminder)).toContain('@前台小李')
    env.clock.set(new Date('2030-01-15T10:31:00Z'))
    await runDue()
    await runDue()
    const escalation = new RegExp(`升级：投诉 #${number} 处理后未当天答复投诉人`)
    expect(await management.expectMessage(escalation)).toContain('@刘主管')
    await sleep(300)
    expect(await frontDesk.count(reminder)).toBe(1)
    expect(await management.count(escalation)).toBe(1)
  })
})

describe('a customer nobody can reach', () => {
  it('three unreachable calls end the follow-up, close the ticket and tell management', async () => {
    env.clock.set(new Date('2030-01-16T02:00:00Z'))
    const number = numberIn(await frontDesk.say(agent, '求助 6-2-1201 家里老人需要帮忙搬东西 13500004444'))
    await frontDesk.say(agent, `处理 #${number} 已安排保安协助`)
    const first = await frontDesk.say(agent, `回访 #${number} 联系不上`)
    expect(first).toContain('第 1 次回访联系不上')
    const row = await prisma.followUp.findFirstOrThrow({ where: { ticket: { number, tenantId } } })
    expect(row.nextAttemptAt?.toISOString()).toBe('2030-01-17T00:30:00.000Z')
    env.clock.set(new Date('2030-01-17T00:31:00Z'))
    await runDue()
    await frontDesk.expectMessage(new RegExp(`请再次回访 #${number}`))
    expect(await frontDesk.say(agent, `回访 #${number} 电话无人接听`)).toContain('第 2 次')
    env.clock.set(new Date('2030-01-18T01:00:00Z'))
    const third = await frontDesk.say(agent, `回访 #${number} 联系不上`)
    expect(third).toContain('已 3 次联系不上，回访结束')
    expect(await prisma.followUp.findFirstOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'done', outcome: 'unreachable', attempts: 3 })
    expect((await ticketOf(number)).status).toBe('closed')
    await management.expectMessage(new RegExp(`回访失败：#${number} 3 次联系不上`))
  })
})
