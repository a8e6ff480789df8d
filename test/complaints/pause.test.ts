import { describe, expect, it } from 'vitest'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'

const env = await setupTestEnv()
// Tuesday 2030-01-08, 10:00 in Shanghai.
const start = new Date('2030-01-08T02:00:00Z')
env.clock.set(start)
const world = await startDemoWorld(env)
const prisma = env.ctx.prisma
const tenantId = world.demo.tenantId
const frontDesk = consoleGroup(env, world.group('front_desk'))
const agent = world.member('agent')

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
})
