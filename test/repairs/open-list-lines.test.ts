import { describe, expect, it } from 'vitest'
import { adminClient } from '../admin/helpers.ts'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'

const env = await setupTestEnv()
const world = await startDemoWorld(env)
const frontDesk = consoleGroup(env, world.group('front_desk'))
const agent = world.member('agent')
const supervisor = world.member('supervisor')
const department = await adminClient(env).post(`/tenants/${world.demo.tenantId}/departments`, { name: '客服部', aliases: ['客服'], groupId: world.group('customer_service'), headIds: [supervisor] })
expect(department.statusCode, department.body).toBe(201)
const numberIn = (reply: string) => Number(reply.match(/#(\d+)/)?.[1])
/** The list line of one ticket number. */
const lineOf = (list: string, number: number) => list.split('\n').find((line) => line.includes(`#${number} `)) ?? ''

describe('待办 names who holds each ticket once', () => {
  it('an unassigned repair or complaint shows its status alone; an assigned one its assignee or department', async () => {
    const waiting = numberIn(await frontDesk.say(agent, '报修 7-2-101 灯不亮'))
    const taken = numberIn(await frontDesk.say(agent, '报修 7-2-102 门锁坏了'))
    expect(await frontDesk.say(supervisor, `派单 #${taken} @张师傅`)).toContain('已派给 张师傅')
    const complaint = numberIn(await frontDesk.say(agent, '投诉 7-2-103 楼道灯一直不修 13733330007'))
    const routed = numberIn(await frontDesk.say(agent, '咨询 7-2-104 停车费怎么交 13733330008'))
    expect(await frontDesk.say(agent, `转交 #${routed} 客服`)).toContain('已转交客服部')

    const list = await frontDesk.say(supervisor, '待办')
    expect(lineOf(list, waiting)).toMatch(/（待派单，时限 [^，）]+）$/)
    expect(lineOf(list, taken)).toMatch(/（已派单，张师傅，时限 [^，）]+）$/)
    expect(lineOf(list, complaint)).toMatch(/（待派单，时限 [^，）]+）$/)
    expect(lineOf(list, routed)).toMatch(/（已派单，客服部，时限 [^，）]+）$/)
    expect(list).not.toContain('未派单')

    const english = await frontDesk.say(supervisor, 'todo')
    expect(lineOf(english, waiting)).toMatch(/（open, due [^,）]+）$/)
    expect(lineOf(english, taken)).toMatch(/（assigned, 张师傅, due [^,）]+）$/)
    expect(english).not.toContain('unassigned')
  })
})
