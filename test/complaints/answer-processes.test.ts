import { describe, expect, it } from 'vitest'
import { consoleGroup } from '../support/conversation.ts'
import { setupTestEnv } from '../support/harness.ts'
import { deleteRedisPrefix } from '../support/services.ts'
import { sleep } from '../support/wait.ts'
import { startWorkers } from '../support/worker-processes.ts'

const env = await setupTestEnv()
const prisma = env.ctx.prisma

// Two separate worker processes on the same PostgreSQL schema and Redis prefix, on the real clock;
// this process only serves the console and never runs a job.
await startWorkers(env, 2)

/**
 * A tenant whose working day closes 40–100 s from now: a fixed-offset zone puts the local time
 * near noon (so the day cannot wrap), and the closing is that local minute. The supervisors hear
 * of a missing answer 30 s after the close instead of an hour.
 */
function closingSoon(now: Date) {
  const closes = new Date(Math.floor((now.getTime() + 100_000) / 60_000) * 60_000)
  const offsetHours = 12 - closes.getUTCHours()
  const timeZone = offsetHours === 0 ? 'UTC' : `Etc/GMT${offsetHours > 0 ? '-' : '+'}${Math.abs(offsetHours)}`
  const local = new Date(closes.getTime() + offsetHours * 3600_000)
  const end = `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`
  return { closes, timeZone, businessHours: { days: [1, 2, 3, 4, 5, 6, 7], start: '08:00', end } }
}

const { closes, timeZone, businessHours } = closingSoon(new Date())
const tenant = await prisma.tenant.create({
  data: { name: '答复演练物业', timeZone, businessHours, officialHolidays: false, policy: { complaints: { answerEscalationMinutes: 0.5 } } },
})
const group = (purpose: 'front_desk' | 'management', name: string) =>
  prisma.chatGroup.create({ data: { tenantId: tenant.id, platform: 'console', externalId: `answer-${purpose}`, name, purpose } })
const frontDeskGroup = await group('front_desk', '前台群')
const managementGroup = await group('management', '管理群')
const member = (name: string, role: 'agent' | 'supervisor') =>
  prisma.member.create({ data: { tenantId: tenant.id, platform: 'console', externalUserId: `answer-${role}`, name, roles: [role] } })
const agent = await member('前台小周', 'agent')
await member('陈主管', 'supervisor')

const frontDesk = consoleGroup(env, frontDeskGroup.id)
const management = consoleGroup(env, managementGroup.id)

describe('a handled complaint nobody answers, with two workers and a Redis flush', () => {
  it('reminds the agent at close of business and escalates to the supervisors after it, once each', async () => {
    env.clock.set(new Date())
    const created = await frontDesk.say(agent.id, '投诉 5-1-302 电梯经常停运 13600003333')
    const number = Number(created.match(/#(\d+)/)?.[1])
    expect(number).toBeGreaterThan(0)
    env.clock.set(new Date())
    expect(await frontDesk.say(agent.id, `处理 #${number} 已维修电梯控制板`)).toContain(`#${number}`)

    const ticket = await prisma.ticket.findFirstOrThrow({ where: { tenantId: tenant.id, number } })
    const answerRows = () => prisma.reminder.findMany({ where: { subjectId: ticket.id, kind: { startsWith: 'complaint.answer' } }, orderBy: { dueAt: 'asc' } })
    expect((await answerRows()).map((row) => [row.kind, row.dueAt.toISOString(), row.status])).toEqual([
      ['complaint.answer_reminder', closes.toISOString(), 'pending'],
      ['complaint.answer_escalation', new Date(closes.getTime() + 30_000).toISOString(), 'pending'],
    ])
    expect(Date.now()).toBeLessThan(closes.getTime())

    // Redis loses this deployment's keys before either is due; the workers rebuild from the rows.
    expect((await env.ctx.redis.keys(`${env.prefix}:*`)).length).toBeGreaterThan(0)
    await deleteRedisPrefix(env.prefix)

    const reminder = new RegExp(`投诉 #${number} 今天还没有答复投诉人`)
    const escalation = new RegExp(`升级：投诉 #${number} 处理后未当天答复投诉人`)
    const untilDue = closes.getTime() - Date.now()
    expect(await frontDesk.expectMessage(reminder, untilDue + 40_000)).toContain('@前台小周')
    expect(await management.expectMessage(escalation, 60_000)).toContain('@陈主管')

    // Both workers had every chance to fire them again.
    await sleep(4000)
    expect(await frontDesk.count(reminder)).toBe(1)
    expect(await management.count(escalation)).toBe(1)
    const rows = await answerRows()
    expect(rows.map((row) => [row.kind, row.status])).toEqual([
      ['complaint.answer_reminder', 'sent'],
      ['complaint.answer_escalation', 'sent'],
    ])
    for (const row of rows) expect(row.firedAt!.getTime()).toBeGreaterThanOrEqual(row.dueAt.getTime())
    const sent = await prisma.ticketEvent.findMany({ where: { ticketId: ticket.id, type: 'reminder_sent' } })
    const kinds = sent.map((event) => (event.data as { kind: string }).kind).filter((kind) => kind.startsWith('complaint.answer'))
    expect(kinds.sort()).toEqual(['complaint.answer_escalation', 'complaint.answer_reminder'])
  }, 240_000)
})
