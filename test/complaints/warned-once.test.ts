import { describe, expect, it } from 'vitest'
import { runDueReminders } from '../../src/jobs/reminders.ts'
import { adminClient } from '../admin/helpers.ts'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'

const env = await setupTestEnv()
// Wednesday 2030-01-09 in Shanghai, at a local hour and minute; time moves by hand.
const wednesday = (hour: number, minute = 0) => new Date(Date.UTC(2030, 0, 9, hour - 8, minute))
env.clock.set(wednesday(9))
const world = await startDemoWorld(env)
const prisma = env.ctx.prisma
const tenantId = world.demo.tenantId
const frontDesk = consoleGroup(env, world.group('front_desk'))
const customerService = consoleGroup(env, world.group('customer_service'))
const maintenance = consoleGroup(env, world.group('maintenance'))
const management = consoleGroup(env, world.group('management'))
const agent = world.member('agent')
const admin = adminClient(env)
for (const body of [
  { name: '客服部', aliases: ['客服'], groupId: world.group('customer_service'), headIds: [world.member('supervisor')], limitHours: { effective: 6 } },
  { name: '工程部', aliases: ['工程'], groupId: world.group('maintenance'), headIds: [world.member('technician')], limitHours: { effective: 24 } },
]) {
  const created = await admin.post(`/tenants/${tenantId}/departments`, body)
  expect(created.statusCode, created.body).toBe(201)
}

const runDue = () => runDueReminders(env.ctx, world.services.fireReminder, env.clock.now())
const pendingDue = async (number: number) => {
  const ticket = await prisma.ticket.findFirstOrThrow({ where: { tenantId, number } })
  const rows = await prisma.reminder.findMany({ where: { subjectId: ticket.id, status: 'pending' } })
  return Object.fromEntries(rows.map((row) => [row.kind, row.dueAt.toISOString()]))
}
/** Reminders of this complaint that went out, by kind: what the groups were sent. */
const sentKinds = async (number: number) => {
  const ticket = await prisma.ticket.findFirstOrThrow({ where: { tenantId, number } })
  const rows = await prisma.reminder.findMany({ where: { subjectId: ticket.id, status: 'sent' }, orderBy: { dueAt: 'asc' } })
  return rows.map((row) => row.kind)
}

describe('a new limit after the warning went out', () => {
  it('定性 and 转交 move the deadline but warn and escalate once per round', async () => {
    env.clock.set(wednesday(10))
    const number = Number((await frontDesk.say(agent, '咨询 2-1-305 快递柜打不开 13733330005')).match(/#(\d+)/)?.[1])
    env.clock.set(wednesday(10, 5))
    expect(await frontDesk.say(agent, `转交 #${number} 客服`)).toContain('已转交客服部')
    // A communication complaint has the tenant's 4 hours: warned at 80 %, 13:12.
    expect(await pendingDue(number)).toEqual({ 'complaint.resolve_warning': wednesday(13, 12).toISOString(), 'complaint.resolve_breach': wednesday(14).toISOString() })

    const warning = new RegExp(`投诉 #${number} 即将超过处理时限`)
    const breach = new RegExp(`超时：投诉 #${number} 已超过处理时限`)
    env.clock.set(wednesday(13, 15))
    await runDue()
    await customerService.expectMessage(warning)

    // 有效 in 客服部 is 6 hours: the deadline moves to 16:00, and the head already warned is not warned at 14:48.
    env.clock.set(wednesday(13, 20))
    expect(await frontDesk.say(agent, `定性 #${number} 有效`)).toContain(`投诉 #${number} 已定性为`)
    expect((await prisma.ticket.findFirstOrThrow({ where: { tenantId, number } })).resolveBy?.toISOString()).toBe(wednesday(16).toISOString())
    expect(await pendingDue(number)).toEqual({ 'complaint.resolve_breach': wednesday(16).toISOString() })
    env.clock.set(wednesday(14, 50))
    await runDue()
    expect(await sentKinds(number)).toEqual(['complaint.resolve_warning'])

    env.clock.set(wednesday(16, 5))
    await runDue()
    await management.expectMessage(breach)
    expect(await sentKinds(number)).toEqual(['complaint.resolve_warning', 'complaint.resolve_breach'])

    // 工程部 gives it 24 hours from receipt: neither the warning nor the breach of this round goes out again.
    env.clock.set(wednesday(16, 10))
    expect(await frontDesk.say(agent, `转交 #${number} 工程`)).toContain('已转交工程部')
    expect((await prisma.ticket.findFirstOrThrow({ where: { tenantId, number } })).resolveBy?.toISOString()).toBe(new Date(wednesday(10).getTime() + 24 * 3600_000).toISOString())
    expect(await pendingDue(number)).toEqual({})
    env.clock.set(new Date(wednesday(10, 30).getTime() + 24 * 3600_000))
    await runDue()
    expect(await sentKinds(number)).toEqual(['complaint.resolve_warning', 'complaint.resolve_breach'])
    expect(await maintenance.count(warning)).toBe(0)
    expect(await customerService.count(warning)).toBe(1)
    expect(await management.count(breach)).toBe(1)
  })

  it('a complaint not yet warned is still warned at the new time', async () => {
    env.clock.set(wednesday(10))
    const number = Number((await frontDesk.say(agent, '咨询 2-1-306 电梯广告太吵 13733330006')).match(/#(\d+)/)?.[1])
    expect(await frontDesk.say(agent, `转交 #${number} 客服`)).toContain('已转交客服部')
    env.clock.set(wednesday(11))
    await frontDesk.say(agent, `定性 #${number} 有效`)
    // 80 % of 6 hours from 10:00.
    expect(await pendingDue(number)).toEqual({ 'complaint.resolve_warning': wednesday(14, 48).toISOString(), 'complaint.resolve_breach': wednesday(16).toISOString() })
    env.clock.set(wednesday(14, 50))
    await runDue()
    await customerService.expectMessage(new RegExp(`投诉 #${number} 即将超过处理时限`))
    expect(await sentKinds(number)).toEqual(['complaint.resolve_warning'])
  })
})
