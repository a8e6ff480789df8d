import { describe, expect, it } from 'vitest'
import { isHomeUnit } from '../../src/domain/complaints/repeats.ts'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'

const env = await setupTestEnv()
env.clock.set(new Date('2030-01-08T02:05:00Z'))
const world = await startDemoWorld(env)
const prisma = env.ctx.prisma
const tenantId = world.demo.tenantId
const frontDesk = consoleGroup(env, world.group('front_desk'))
const agent = world.member('agent')

const complain = async (text: string) => {
  const reply = await frontDesk.say(agent, text)
  const number = Number(reply.match(/#(\d+)/)?.[1])
  expect(number, reply).toBeGreaterThan(1000)
  const ticket = await prisma.ticket.findFirstOrThrow({ where: { tenantId, number } })
  return { reply, ticket }
}

describe('repeat complaints about homes and public places', () => {
  it('tells homes from public places', () => {
    for (const home of ['3-2-501', 'A-1203', '1203', '3栋2单元501室']) expect(isHomeUnit(home), home).toBe(true)
    for (const place of ['地下车库B2', '1号楼大堂', '南门岗亭', '停车场']) expect(isHomeUnit(place), place).toBe(false)
  })

  it('neighbours complaining about the same public place are not repeats; the same phone about it is', async () => {
    const first = await complain('投诉 地下车库B2 晚上有人飙车噪音很大 13711110001')
    expect(first.ticket).toMatchObject({ unit: '地下车库B2', category: '噪音', repeatFlag: false })

    // Another resident, another phone, same place and topic: a second person, not a repeat.
    const neighbour = await complain('投诉 地下车库B2 半夜噪音吵得睡不着 13711110002')
    expect(neighbour.ticket.repeatFlag).toBe(false)
    expect(neighbour.reply).not.toContain('已投诉')

    // A public place with no phone says nothing about who complained.
    const anonymous = await complain('投诉 地下车库B2 噪音太大')
    expect(anonymous.ticket.repeatFlag).toBe(false)

    const again = await complain('投诉 地下车库B2 又有飙车噪音 13711110001')
    expect(again.ticket.repeatFlag).toBe(true)
    expect(again.reply).toContain('近 90 天内就此类问题已投诉 2 次')
  })

  it('a home still counts as the same complainant, whatever phone they call from', async () => {
    const first = await complain('投诉 6-2-801 楼上装修噪音太大 13722220001')
    expect(first.ticket.repeatFlag).toBe(false)
    const second = await complain('投诉 6-2-801 装修还是太吵 13722220002')
    expect(second.ticket.repeatFlag).toBe(true)
  })
})
