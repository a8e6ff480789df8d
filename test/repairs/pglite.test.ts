import { describe, expect, it } from 'vitest'
import { runDueReminders } from '../../src/jobs/reminders.ts'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'

// The zero-setup default is embedded PGlite: the same conversation must work there too.
const env = await setupTestEnv({}, { database: 'pglite' })
const start = new Date('2030-01-08T02:00:00Z')
env.clock.set(start)
const world = await startDemoWorld(env)
const frontDesk = consoleGroup(env, world.group('front_desk'))
const maintenance = consoleGroup(env, world.group('maintenance'))

describe('a repair on embedded PGlite', () => {
  it('goes from report to follow-up, with reminders, roles and lists', async () => {
    const created = await frontDesk.say(world.member('agent'), '报修 3-2-501 厨房水管漏水 紧急 13800138000')
    const number = Number(created.match(/#(\d+)/)?.[1])
    expect(created).toContain('到场时限')
    await maintenance.expectMessage(new RegExp(`#${number}[\\s\\S]*@张师傅|@张师傅[\\s\\S]*#${number}`))

    env.clock.set(new Date(start.getTime() + 5 * 60_000))
    expect(await runDueReminders(env.ctx, world.services.fireReminder, env.clock.now())).toBe(1)

    expect(await frontDesk.say(world.member('supervisor'), `派单 #${number} @张师傅`)).toContain('已派给 张师傅')
    expect(await maintenance.say(world.member('technician'), `到场 #${number}`)).toContain('到场')
    expect(await maintenance.say(world.member('technician'), `完成 #${number} 更换角阀 材料费30元`)).toContain('已完成')
    expect(await frontDesk.say(world.member('agent'), `回访 #${number} 满意 5 很好`)).toContain('满意')
    expect(await frontDesk.say(world.member('agent'), `查 #${number}`)).toContain('回访 (前台小李)')
    expect(await frontDesk.say(world.member('admin'), '授权 @业主王先生 客服')).toContain('已授予 业主王先生')
    expect(await frontDesk.say(world.member('supervisor'), '待办')).toContain('没有')
  })
})
