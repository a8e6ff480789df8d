import { describe, expect, it } from 'vitest'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'

const env = await setupTestEnv()
const world = await startDemoWorld(env)
const frontDesk = consoleGroup(env, world.group('front_desk'))

const owner = world.member('customer')
const neighbour = (
  await env.ctx.prisma.member.create({
    data: { tenantId: world.demo.tenantId, platform: 'console', externalUserId: 'demo-owner-zhao', name: '业主赵女士', roles: ['customer'] },
  })
).id
const numberIn = (answer: string) => Number(answer.match(/#(\d+)/)?.[1])

const ownersTicket = numberIn(await frontDesk.say(owner, '报修 3-2-501 厨房水管漏水 13800138000'))
const neighboursTicket = numberIn(await frontDesk.say(neighbour, '报修 3-2-502 卫生间灯不亮'))

describe('a customer sees only the tickets they reported', () => {
  it("refuses another unit's ticket exactly as it refuses one that does not exist", async () => {
    const others = await frontDesk.say(neighbour, `查 #${ownersTicket}`)
    expect(others).toContain(`没有找到工单 #${ownersTicket}，或您无权查看`)
    expect(others).not.toContain('3-2-501')
    expect(others).not.toContain('漏水')

    const missing = await frontDesk.say(neighbour, '查 #99999')
    expect(missing.replace('99999', String(ownersTicket))).toBe(others)
  })

  it('answers in English for an English command', async () => {
    const answer = await frontDesk.say(neighbour, `show #${ownersTicket}`)
    expect(answer).toContain(`I could not find ticket #${ownersTicket}, or you may not view it`)
    expect(answer).not.toContain('3-2-501')
  })

  it('shows customers their own tickets and staff every ticket of the tenant', async () => {
    expect(await frontDesk.say(owner, `查 #${ownersTicket}`)).toContain('3-2-501')
    expect(await frontDesk.say(neighbour, `查 #${neighboursTicket}`)).toContain('3-2-502')
    for (const role of ['agent', 'technician', 'supervisor']) {
      expect(await frontDesk.say(world.member(role), `查 #${ownersTicket}`), role).toContain('3-2-501')
    }
  })

  it("lists only a customer's own open tickets under 我的工单, and keeps 待办 to staff", async () => {
    const mine = await frontDesk.say(neighbour, '我的工单')
    expect(mine).toContain(`#${neighboursTicket} `)
    expect(mine).not.toContain(`#${ownersTicket} `)
    expect(await frontDesk.say(neighbour, '待办')).toContain('需要以下角色之一')
  })

  it('keeps a former technician, now a customer, from the tickets once assigned to them', async () => {
    const formerTech = await env.ctx.prisma.member.create({
      data: { tenantId: world.demo.tenantId, platform: 'console', externalUserId: 'demo-tech-sun', name: '孙师傅', roles: ['technician'] },
    })
    expect(await frontDesk.say(world.member('supervisor'), `派单 #${ownersTicket} @孙师傅`)).toContain('已派给 孙师傅')
    expect(await frontDesk.say(formerTech.id, '我的工单')).toContain(`#${ownersTicket} `)

    await env.ctx.prisma.member.update({ where: { id: formerTech.id }, data: { roles: ['customer'] } })
    expect(await frontDesk.say(formerTech.id, '我的工单')).not.toContain(`#${ownersTicket} `)
    expect(await frontDesk.say(formerTech.id, `查 #${ownersTicket}`)).toContain('或您无权查看')
  })
})
