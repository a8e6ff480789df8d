import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { reconcileQueues } from '../../src/jobs/reconcile.ts'
import { consoleGroup } from '../support/conversation.ts'
import { setupTestEnv } from '../support/harness.ts'
import { sleep } from '../support/wait.ts'
import { startWorkers } from '../support/worker-processes.ts'

// The same clocks as production, run fast: alert at 3 s, reminder at 6 s, escalation at 12 s.
const policy = { unassignedAlertMinutes: 0.05, assigneeReminderMinutes: 0.1, onSiteMinutes: 0.2 }

const env = await setupTestEnv()
const prisma = env.ctx.prisma
const tenant = await prisma.tenant.create({ data: { name: '快速演练物业', policy } })
const group = (purpose: 'front_desk' | 'maintenance' | 'management', name: string) =>
  prisma.chatGroup.create({ data: { tenantId: tenant.id, platform: 'console', externalId: `drill-${purpose}`, name, purpose } })
const frontDeskGroup = await group('front_desk', '前台群')
const maintenanceGroup = await group('maintenance', '维修群')
const managementGroup = await group('management', '管理群')
const member = (name: string, role: 'agent' | 'technician' | 'supervisor') =>
  prisma.member.create({ data: { tenantId: tenant.id, platform: 'console', externalUserId: `drill-${role}`, name, roles: [role] } })
const agent = await member('前台小周', 'agent')
await member('李师傅', 'technician')
const supervisor = await member('陈主管', 'supervisor')

// Two separate worker processes on the same PostgreSQL schema and Redis prefix; this process only
// serves HTTP (the console) and never runs a job.
await startWorkers(env, 2)

const frontDesk = consoleGroup(env, frontDeskGroup.id)
const maintenance = consoleGroup(env, maintenanceGroup.id)
const management = consoleGroup(env, managementGroup.id)

describe('a technician who never arrives, with two workers and a Redis flush', () => {
  it('is reminded once and escalated to the supervisors once', async () => {
    const created = await frontDesk.say(agent.id, '报修 3-2-501 水管爆裂 紧急')
    const number = Number(created.match(/#(\d+)/)?.[1])
    expect(await frontDesk.say(supervisor.id, `派单 #${number} @李师傅`, { messageId: randomUUID() })).toContain('已派给 李师傅')

    // Redis loses everything mid-way; the database still knows what is due.
    const keys = await env.ctx.redis.keys(`${env.prefix}:*`)
    expect(keys.length).toBeGreaterThan(0)
    await env.ctx.redis.del(...keys)
    const rebuilt = await reconcileQueues(env.ctx)
    expect(rebuilt.reminders).toBeGreaterThanOrEqual(2)

    const remindedPattern = new RegExp(`#${number} 报修已[\\s\\S]*请 李师傅 尽快到场`)
    const reminder = await maintenance.expectMessage(remindedPattern, 20_000)
    expect(reminder).toContain('@李师傅')
    const escalatedPattern = new RegExp(`升级：#${number}`)
    const escalation = await management.expectMessage(escalatedPattern, 25_000)
    expect(escalation).toContain('@陈主管')

    // Both workers had every chance to fire them again.
    await sleep(3000)
    expect(await maintenance.count(remindedPattern)).toBe(1)
    expect(await management.count(escalatedPattern)).toBe(1)
    const rows = await prisma.reminder.findMany({ where: { tenantId: tenant.id }, orderBy: { dueAt: 'asc' } })
    expect(Object.fromEntries(rows.map((r) => [r.kind, r.status]))).toMatchObject({
      'repair.unassigned_alert': 'cancelled',
      'repair.assignee_reminder': 'sent',
      'repair.onsite_escalation': 'sent',
    })
  }, 90_000)
})
