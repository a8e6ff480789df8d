import { describe, expect, it } from 'vitest'
import { runDueReminders } from '../../src/jobs/reminders.ts'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'
import { sleep } from '../support/wait.ts'

const env = await setupTestEnv()
// A Tuesday, 10:00 in Shanghai. In the future, so BullMQ's own timers stay out of the way and
// the test moves time by hand.
const start = new Date('2030-01-08T02:00:00Z')
env.clock.set(start)
const world = await startDemoWorld(env)
const frontDesk = consoleGroup(env, world.group('front_desk'))
const maintenance = consoleGroup(env, world.group('maintenance'))
const management = consoleGroup(env, world.group('management'))
const minutes = (n: number) => new Date(start.getTime() + n * 60_000)
const runDue = () => runDueReminders(env.ctx, world.services.fireReminder, env.clock.now())

describe('an urgent repair, from report to follow-up', () => {
  let number = 0

  it('is recorded with an on-site deadline 15 minutes out, and maintenance hears of it', async () => {
    const answer = await frontDesk.say(world.member('agent'), '报修 3-2-501 厨房水管漏水 紧急 13800138000')
    number = Number(answer.match(/#(\d+)/)?.[1])
    expect(number).toBeGreaterThan(1000)
    expect(answer).toContain('到场时限：今天 10:15 前')
    const announced = await maintenance.expectMessage(new RegExp(`#${number}`))
    expect(announced).toContain('@张师傅')
    expect(announced).toContain('138****8000')
  })

  it('alerts the maintenance group when nobody has taken it after 5 minutes', async () => {
    env.clock.set(minutes(5))
    expect(await runDue()).toBe(1)
    const alert = await maintenance.expectMessage(/未派单|无人接单|还没有人/)
    expect(alert).toContain(`#${number}`)
  })

  it('is assigned by the supervisor to a technician, who is told', async () => {
    env.clock.set(minutes(6))
    const answer = await frontDesk.say(world.member('supervisor'), `派单 #${number} @张师傅`)
    expect(answer).toContain('已派给 张师傅')
    expect(answer).toContain('@张师傅')
  })

  it('reminds the technician at 10 minutes, once', async () => {
    env.clock.set(minutes(10))
    expect(await runDue()).toBe(1)
    const reminder = await maintenance.expectMessage(/@张师傅[\s\S]*到场|到场[\s\S]*@张师傅/)
    expect(reminder).toContain(`#${number}`)
    expect(await runDue()).toBe(0)
  })

  it('records the arrival in time, which cancels the 15-minute escalation', async () => {
    env.clock.set(minutes(12))
    expect(await maintenance.say(world.member('technician'), `到场 #${number}`)).toContain('到场')
    env.clock.set(minutes(16))
    expect(await runDue()).toBe(0)
    await sleep(300)
    expect(await management.count(new RegExp(`#${number}`))).toBe(0)
    const escalation = await env.ctx.prisma.reminder.findFirst({ where: { kind: 'repair.onsite_escalation' } })
    expect(escalation?.status).toBe('cancelled')
  })

  it('is completed with the work and the fee, and a same-day call-back is due', async () => {
    env.clock.set(minutes(40))
    const answer = await maintenance.say(world.member('technician'), `完成 #${number} 更换角阀 材料费30元`)
    expect(answer).toContain('已完成：更换角阀')
    expect(answer).toContain('30 元')
    expect(answer).toMatch(/回访请在 今天 17:30 前完成/)
    await frontDesk.expectMessage(new RegExp(`已完成 #${number}`))
  })

  it('records the follow-up call, and the timeline shows every step with who and when', async () => {
    env.clock.set(minutes(90))
    expect(await frontDesk.say(world.member('agent'), `回访 #${number} 满意 5 师傅很专业`)).toContain('满意，5 分')
    const shown = await frontDesk.say(world.member('agent'), `查 #${number}`)
    for (const step of ['登记 (前台小李)', '派单 (刘主管)', '到场 (张师傅)', '完成 (张师傅)', '回访 (前台小李)']) expect(shown).toContain(step)
    // A satisfied follow-up closes the ticket.
    expect(shown).toContain('状态：已关闭')
    expect(shown).not.toContain('13800138000')
  })
})
