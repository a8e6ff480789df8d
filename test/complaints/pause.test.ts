import { describe, expect, it } from 'vitest'
import { adminClient } from '../admin/helpers.ts'
import { startDemoChat } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'

const env = await setupTestEnv()
// Tuesday 2030-01-08, 10:00 in Shanghai.
const start = new Date('2030-01-08T02:00:00Z')
const { world, tenantId, frontDesk, ticketOf } = await startDemoChat(env, start)
const prisma = env.ctx.prisma
const agent = world.member('agent')
const department = await adminClient(env).post(`/tenants/${tenantId}/departments`, {
  name: '客服部',
  aliases: ['客服'],
  groupId: world.group('customer_service'),
  headIds: [world.member('supervisor')],
  limitHours: { effective: 6 },
})
expect(department.statusCode, department.body).toBe(201)
// Wednesday 2030-01-09 in Shanghai, at a local hour and minute.
const wednesday = (hour: number, minute = 0) => new Date(Date.UTC(2030, 0, 9, hour - 8, minute))
const numberIn = (reply: string) => Number(reply.match(/#(\d+)/)?.[1])
const pendingDue = async (number: number) => {
  const ticket = await ticketOf(number)
  const rows = await prisma.reminder.findMany({ where: { subjectId: ticket.id, status: 'pending' } })
  return Object.fromEntries(rows.map((row) => [row.kind, row.dueAt.toISOString()]))
}

describe('pausing a complaint', () => {
  it('stops its handling clock: 查 shows the time left instead of the old deadline, and a resume moves the limit', async () => {
    const created = await frontDesk.say(agent, '咨询 2-1-301 物业费怎么交 13733330001')
    const number = Number(created.match(/#(\d+)/)?.[1])
    const running = await frontDesk.say(agent, `查 #${number}`)
    expect(running).toMatch(/处理时限：[^\n]* 前/)

    env.clock.set(new Date(start.getTime() + 30 * 60_000))
    expect(await frontDesk.say(agent, `挂起 #${number} 等财务核对`)).toContain('已挂起')
    env.clock.set(new Date(start.getTime() + 5 * 3600_000))
    const paused = await frontDesk.say(agent, `查 #${number}`)
    expect(paused).toContain('⏸ 已挂起')
    expect(paused).toContain('等财务核对')
    expect(paused).toContain('处理时限：已暂停，恢复后还剩 3 小时 30 分钟')
    expect(paused).not.toMatch(/处理时限：[^\n]* 前/)
    const ticket = await prisma.ticket.findFirstOrThrow({ where: { tenantId, number } })
    expect(await prisma.reminder.count({ where: { subjectId: ticket.id, status: 'pending' } })).toBe(0)

    // Resumed at 15:00: the 4-hour limit had 3 h 30 min left, so it now ends at 18:30.
    expect(await frontDesk.say(agent, `恢复 #${number}`)).toContain('已恢复')
    const resumed = await prisma.ticket.findFirstOrThrow({ where: { tenantId, number } })
    expect(resumed.resolveBy?.toISOString()).toBe('2030-01-08T10:30:00.000Z')
    const pending = await prisma.reminder.findMany({ where: { subjectId: ticket.id, status: 'pending' }, orderBy: { dueAt: 'asc' } })
    expect(pending.map((row) => row.kind)).toContain('complaint.resolve_breach')
    expect(pending.find((row) => row.kind === 'complaint.resolve_breach')?.dueAt.toISOString()).toBe('2030-01-08T10:30:00.000Z')
  })

  it('定性 and 转交 after a resume keep the paused time out of the new limit', async () => {
    env.clock.set(wednesday(10))
    const number = numberIn(await frontDesk.say(agent, '咨询 2-1-302 停车卡怎么办 13733330002'))
    env.clock.set(wednesday(10, 30))
    await frontDesk.say(agent, `挂起 #${number} 等业主提供材料`)
    env.clock.set(wednesday(12, 30))
    await frontDesk.say(agent, `恢复 #${number}`)
    // 4 hours from 10:00 plus the 2 hours paused.
    expect((await ticketOf(number)).resolveBy?.toISOString()).toBe(wednesday(16).toISOString())

    env.clock.set(wednesday(13))
    expect(await frontDesk.say(agent, `定性 #${number} 有效`)).toContain(`投诉 #${number} 已定性为`)
    // Effective: 24 hours from receipt plus the 2 hours paused (not 10:00 tomorrow).
    const classified = await ticketOf(number)
    expect(classified.complaintType).toBe('effective')
    expect(classified.resolveBy?.toISOString()).toBe(new Date(wednesday(12).getTime() + 24 * 3600_000).toISOString())
    expect(await pendingDue(number)).toEqual({
      'complaint.resolve_breach': new Date(wednesday(12).getTime() + 24 * 3600_000).toISOString(),
      // 80 % of 24 hours is 19 h 12 min of handling: 10:00 + 19:12 + the 2 hours paused.
      'complaint.resolve_warning': new Date(wednesday(7, 12).getTime() + 24 * 3600_000).toISOString(),
    })

    expect(await frontDesk.say(agent, `转交 #${number} 客服`)).toContain('已转交客服部')
    // The department handles effective complaints in 6 hours: 10:00 + 6 h + 2 h paused.
    expect((await ticketOf(number)).resolveBy?.toISOString()).toBe(wednesday(18).toISOString())
    expect(await pendingDue(number)).toEqual({
      'complaint.resolve_breach': wednesday(18).toISOString(),
      // 4 h 48 min of handling: 10:00 to 10:30, then from 12:30 on.
      'complaint.resolve_warning': wednesday(16, 48).toISOString(),
    })
    expect(await frontDesk.say(agent, `查 #${number}`)).toContain('处理时限：今天 18:00 前')
  })

  it('定性 while paused changes the time left, and the resume runs it', async () => {
    env.clock.set(wednesday(14))
    const number = numberIn(await frontDesk.say(agent, '咨询 2-1-303 门禁卡怎么补办 13733330003'))
    env.clock.set(wednesday(15))
    await frontDesk.say(agent, `挂起 #${number} 等物业经理回复`)
    env.clock.set(wednesday(16))
    await frontDesk.say(agent, `定性 #${number} 有效`)
    // One hour of 24 used: 23 hours left, and still nothing may fire while paused.
    expect(await frontDesk.say(agent, `查 #${number}`)).toContain('处理时限：已暂停，恢复后还剩 23 小时')
    expect(await pendingDue(number)).toEqual({})

    env.clock.set(wednesday(17))
    await frontDesk.say(agent, `恢复 #${number}`)
    const due = new Date(wednesday(17).getTime() + 23 * 3600_000).toISOString()
    expect((await ticketOf(number)).resolveBy?.toISOString()).toBe(due)
    expect((await pendingDue(number))['complaint.resolve_breach']).toBe(due)
  })
})
