import { describe, expect, it } from 'vitest'
import { startDemoChat } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'

const env = await setupTestEnv()
// A Tuesday, 10:00 in Shanghai, in the future: BullMQ's own timers stay out of the way and the
// test moves time by hand.
const start = new Date('2030-01-08T02:00:00Z')
const { world, tenantId, frontDesk, maintenance, management, runDue, ticketOf } = await startDemoChat(env, start)
const prisma = env.ctx.prisma

const customer = world.member('customer')
const agent = world.member('agent')
const technician = world.member('technician')

const minutes = (n: number) => new Date(start.getTime() + n * 60_000)
const numberIn = (reply: string): number => Number(reply.match(/#(\d+)/)?.[1])
const pendingOf = async (number: number) => {
  const ticket = await ticketOf(number)
  const rows = await prisma.reminder.findMany({ where: { subjectId: ticket.id, status: 'pending' }, orderBy: { dueAt: 'asc' } })
  return rows.map((row) => [row.kind, row.dueAt.toISOString()])
}

describe('pausing a repair (挂起 / 恢复)', () => {
  it('freezes the clocks: nothing fires while paused, and the deadlines resume with the time left', async () => {
    const created = await frontDesk.say(agent, '报修 3-2-501 厨房水管漏水 紧急 13800138000')
    const number = numberIn(created)
    await frontDesk.say(technician, `接单 #${number}`)

    // 3 minutes in: 12 minutes of the 15-minute on-site clock and 237 of the 4-hour resolution are left.
    env.clock.set(minutes(3))
    const paused = await frontDesk.say(technician, `挂起 #${number} 等业主确认`)
    expect(paused).toContain(`工单 #${number} 已挂起：等业主确认`)
    expect(await pendingOf(number)).toEqual([])
    expect((await ticketOf(number)).pausedAt?.toISOString()).toBe(minutes(3).toISOString())

    // A whole day passes: far past the on-site escalation and the resolution deadline.
    const seen = await management.count(new RegExp(`#${number}(?!\\d)`))
    env.clock.set(minutes(24 * 60))
    expect(await runDue()).toBe(0)
    expect(await management.count(new RegExp(`#${number}(?!\\d)`))).toBe(seen)

    const shown = await frontDesk.say(agent, `查 #${number}`)
    expect(shown).toContain('已挂起')
    expect(shown).toContain('等业主确认')
    expect(shown).toMatch(/挂起.*等业主确认/)
    // The old deadlines no longer hold: 查 shows what each clock has left instead.
    expect(shown).toContain('到场时限：已暂停，恢复后还剩 12 分钟')
    expect(shown).toContain('处理时限：已暂停，恢复后还剩 3 小时 57 分钟')
    expect(shown).not.toMatch(/时限：[^\n]* 前/)

    const resumed = await frontDesk.say(agent, `恢复 #${number}`)
    expect(resumed).toContain(`工单 #${number} 已恢复`)
    const resumeAt = minutes(24 * 60).getTime()
    const ticket = await ticketOf(number)
    expect(ticket.pausedAt).toBeNull()
    expect(ticket.respondBy?.toISOString()).toBe(new Date(resumeAt + 12 * 60_000).toISOString())
    expect(ticket.resolveBy?.toISOString()).toBe(new Date(resumeAt + 237 * 60_000).toISOString())
    expect(await pendingOf(number)).toEqual([
      // Assigned: the unassigned alert no longer applies; the assignee reminder had 7 minutes left.
      ['repair.assignee_reminder', new Date(resumeAt + 7 * 60_000).toISOString()],
      ['repair.onsite_escalation', new Date(resumeAt + 12 * 60_000).toISOString()],
      ['repair.resolve_warning', new Date(resumeAt + (192 - 3) * 60_000).toISOString()],
      ['repair.resolve_breach', new Date(resumeAt + 237 * 60_000).toISOString()],
    ])

    // A later change (arriving on site) re-plans from the moved deadlines, not the original ones.
    env.clock.set(new Date(resumeAt + 5 * 60_000))
    await frontDesk.say(technician, `到场 #${number}`)
    expect(await pendingOf(number)).toEqual([
      ['repair.resolve_warning', new Date(resumeAt + (192 - 3) * 60_000).toISOString()],
      ['repair.resolve_breach', new Date(resumeAt + 237 * 60_000).toISOString()],
    ])

    // The timeline keeps both steps.
    const timeline = await frontDesk.say(agent, `查 #${number}`)
    expect(timeline).toMatch(/挂起 \(.+\)：等业主确认/)
    expect(timeline).toMatch(/恢复 \(.+\)/)

    // The resolution breach fires at the moved time, once.
    env.clock.set(new Date(resumeAt + 238 * 60_000))
    expect(await runDue()).toBeGreaterThanOrEqual(1)
    await management.expectMessage(new RegExp(`#${number}(?!\\d)`))
  })

  it('answers politely: a customer may not pause, a paused ticket cannot be paused twice, a running one cannot be resumed', async () => {
    env.clock.set(minutes(3 * 24 * 60))
    const number = numberIn(await frontDesk.say(agent, '报修 5-1-302 卫生间灯不亮'))
    expect(await frontDesk.say(customer, `挂起 #${number} 我不在家`)).toContain('「挂起」需要以下角色之一：客服、维修工、主管、管理员')
    expect((await ticketOf(number)).pausedAt).toBeNull()
    expect(await frontDesk.say(agent, `恢复 #${number}`)).toContain(`工单 #${number} 没有挂起`)
    await frontDesk.say(agent, `挂起 #${number} 等配件`)
    expect(await frontDesk.say(agent, `挂起 #${number} 再等等`)).toContain(`工单 #${number} 已经挂起（等配件）`)
    // A technician may pause only the tickets assigned to them.
    const other = numberIn(await frontDesk.say(agent, '报修 5-1-303 门锁坏了'))
    expect(await frontDesk.say(technician, `挂起 #${other} 等业主`)).toContain('不是您负责的')
    // English works the same way.
    expect(await frontDesk.say(agent, `resume #${number}`)).toMatch(new RegExp(`#${number} is resumed`))
  })
  it('a paused ticket that is cancelled is no longer shown as paused', async () => {
    env.clock.set(minutes(4 * 24 * 60))
    const number = numberIn(await frontDesk.say(agent, '报修 5-1-304 阳台漏水'))
    await frontDesk.say(agent, `挂起 #${number} 等业主确认`)
    await frontDesk.say(agent, `取消 #${number} 业主已自行修好`)
    expect((await ticketOf(number)).pausedAt).toBeNull()
    expect(await frontDesk.say(agent, `查 #${number}`)).not.toMatch(/挂起中|已挂起/)
  })
})
