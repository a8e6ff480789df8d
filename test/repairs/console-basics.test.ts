import { describe, expect, it } from 'vitest'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'

const env = await setupTestEnv()
const world = await startDemoWorld(env)
const frontDesk = consoleGroup(env, world.group('front_desk'))

describe('talking to frontdesk in the console', () => {
  it('lists what a customer may do', async () => {
    const answer = await frontDesk.say(world.member('customer'), '帮助')
    expect(answer).toContain('报修')
    expect(answer).not.toContain('派单')
  })

  it('records a repair and confirms its number and deadlines, with the phone masked', async () => {
    const answer = await frontDesk.say(world.member('customer'), '报修 3-2-501 厨房水管漏水 紧急 13800138000')
    expect(answer).toMatch(/已登记报修 #\d+/)
    expect(answer).toContain('到场时限')
    expect(answer).toContain('138****8000')
    expect(answer).not.toContain('13800138000')
  })

  it('answers in English when the command is typed in English', async () => {
    const answer = await frontDesk.say(world.member('agent'), 'repair B-1203 aircon not cooling')
    expect(answer).toMatch(/Repair #\d+ recorded/)
  })

  it('suggests the right command for a typo and says what is missing', async () => {
    expect(await frontDesk.say(world.member('customer'), '保修 3-2-501 漏水')).toContain('报修')
    const missing = await frontDesk.say(world.member('customer'), '报修')
    expect(missing).toContain('房号')
    expect(missing).toMatch(/报修 3-2-501/)
  })

  it('refuses a command the role does not allow, naming the roles it needs', async () => {
    const answer = await frontDesk.say(world.member('customer'), '派单 #1001 @张师傅')
    expect(answer).toContain('需要以下角色之一')
    expect(answer).toContain('主管')
  })

  it('lists open work, filtered by status or by assignee', async () => {
    const waiting = Number((await frontDesk.say(world.member('agent'), '报修 7-1-101 灯不亮')).match(/#(\d+)/)?.[1])
    const taken = Number((await frontDesk.say(world.member('agent'), '报修 7-1-102 门锁坏了')).match(/#(\d+)/)?.[1])
    expect(await frontDesk.say(world.member('supervisor'), `派单 #${taken} @张师傅`)).toContain('已派给 张师傅')

    const unassigned = await frontDesk.say(world.member('supervisor'), '待办 待派单')
    expect(unassigned).toContain(`#${waiting} `)
    expect(unassigned).not.toContain(`#${taken} `)
    const his = await frontDesk.say(world.member('supervisor'), '待办 @张师傅')
    expect(his).toContain(`#${taken} `)
    expect(his).not.toContain(`#${waiting} `)
    const mine = await frontDesk.say(world.member('technician'), '我的工单')
    expect(mine).toContain(`#${taken} `)
  })

  it('answers a malformed console request with a 400 naming the field', async () => {
    const response = await env.app.inject({ method: 'POST', url: `/console/groups/${world.group('front_desk')}/messages`, payload: { text: '帮助' } })
    expect(response.statusCode).toBe(400)
    expect(response.json()).toEqual({ error: 'invalid request', fields: [expect.objectContaining({ field: 'memberId' })] })
  })
})
