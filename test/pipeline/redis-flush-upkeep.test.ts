import { describe, expect, it } from 'vitest'
import { startQueueUpkeep } from '../../src/jobs/upkeep.ts'
import { setupTestEnv } from '../support/harness.ts'
import { deleteRedisPrefix } from '../support/services.ts'
import { waitFor } from '../support/wait.ts'

const env = await setupTestEnv()
const prisma = env.ctx.prisma
const tenant = await prisma.tenant.create({ data: { name: '清空 Redis 的租户' } })
const reminder = (minutesFromNow: number) =>
  prisma.reminder.create({ data: { tenantId: tenant.id, kind: 'repair.unassigned_alert', subjectType: 'ticket', subjectId: crypto.randomUUID(), dueAt: new Date(Date.now() + minutesFromNow * 60_000) } })
const soon = await reminder(5)
const later = await reminder(120)
const upkeep = startQueueUpkeep(env.ctx)

describe('a Redis flush while a worker keeps running', () => {
  it('gets the schedulers and the reminders due soon back without a restart', async () => {
    const maintenance = env.ctx.queues.maintenance
    await waitFor(async () => (await maintenance.getJobScheduler('follow-ups')) && (await env.ctx.queues.reminders.getJobState(soon.id)) === 'delayed', {
      what: 'the first pass',
    })
    // Only what falls due within the horizon is kept in Redis.
    expect(await env.ctx.queues.reminders.getJobState(later.id)).toBe('unknown')

    await deleteRedisPrefix(env.prefix) // what FLUSHALL does to this deployment's keys
    expect(await maintenance.getJobScheduler('follow-ups')).toBeFalsy()
    await waitFor(
      async () =>
        (await maintenance.getJobScheduler('follow-ups')) &&
        (await maintenance.getJobScheduler('purge-inbound')) &&
        (await env.ctx.queues.reminders.getJobState(soon.id)) === 'delayed',
      { timeoutMs: 30_000, intervalMs: 500, what: 'the schedulers and the reminder job to be back' },
    )
    upkeep.stop()
  }, 40_000)
})
