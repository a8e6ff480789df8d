import { describe, expect, it } from 'vitest'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'

const env = await setupTestEnv()
const world = await startDemoWorld(env)
const frontDesk = consoleGroup(env, world.group('front_desk'))

describe('the console, like Lark and WeCom, accepts the bot being @-mentioned first', () => {
  it.each([
    ['a space', '@前台助手 报修 3-2-501 厨房水管漏水'],
    ['a full-width space', '@前台助手\u3000报修 3-2-501 厨房水管漏水'],
    ['nothing', '@前台助手报修 3-2-501 厨房水管漏水'],
  ])('with %s after the mention', async (_gap, text) => {
    const answer = await frontDesk.say(world.member('agent'), text)
    expect(answer).toMatch(/已登记报修 #\d+/)
    expect(answer).toContain('内容：厨房水管漏水')
    expect(answer).not.toContain('前台助手')
  })

  it('still mentions members after the bot', async () => {
    const number = Number((await frontDesk.say(world.member('agent'), '@前台助手 报修 7-1-101 灯不亮')).match(/#(\d+)/)?.[1])
    expect(await frontDesk.say(world.member('supervisor'), `@前台助手 派单 #${number} @张师傅`)).toContain(`工单 #${number} 已派给 张师傅`)
  })
})
