import { describe, expect, it } from 'vitest'
import { reconcileQueues } from '../../src/jobs/reconcile.ts'
import { reconcileReminders } from '../../src/jobs/reminder-reconcile.ts'
import { queueReminderPage } from '../../src/jobs/reminders.ts'
import { addOutboundJob } from '../../src/outbox/outbox.ts'
import { setupTestEnv } from '../support/harness.ts'

/**
 * During a backlog thousands of rows are due or undelivered, each with its job. The reconciler
 * must not read them all every pass: it reads rows only when Redis holds fewer jobs than there
 * are rows, and then queues exactly the ones whose job is gone or finished. No worker runs here,
 * so every job stays where it was put.
 */
const env = await setupTestEnv()
const { prisma, queues } = env.ctx
const tenant = await prisma.tenant.create({ data: { name: '积压的物业' } })

async function seedMessages(count: number): Promise<string[]> {
  const rows = await prisma.outgoingMessage.createManyAndReturn({
    data: Array.from({ length: count }, (_, i) => ({
      tenantId: tenant.id, platform: 'console' as const, destination: 'g', payload: { lines: ['待发'] }, idempotencyKey: `backlog:${i}`,
    })),
    select: { id: true },
  })
  return rows.map((row) => row.id)
}

async function seedDueReminders(count: number): Promise<{ id: string; dueAt: Date }[]> {
  return prisma.reminder.createManyAndReturn({
    data: Array.from({ length: count }, (_, i) => ({
      tenantId: tenant.id, kind: 'repair.unassigned_alert', subjectType: 'ticket', subjectId: crypto.randomUUID(), dueAt: new Date(Date.now() - 1000 - i),
    })),
    select: { id: true, dueAt: true },
  })
}

describe('reconciliation during a backlog', () => {
  it('leaves 300 undelivered messages and 300 due reminders alone while each has its job, and queues only those whose job was lost or finished', async () => {
    const messages = await seedMessages(300)
    for (const id of messages) await addOutboundJob(env.ctx, id)
    const reminders = await seedDueReminders(300)
    await queueReminderPage(env.ctx, reminders)
    // The watermark is set, as after any earlier pass: only the overdue re-check is at stake.
    await reconcileQueues(env.ctx)

    expect(await reconcileReminders(env.ctx, new Date())).toEqual({ queued: 0, requeued: 0, rowsRead: 0 })
    expect((await reconcileQueues(env.ctx)).outbound).toBe(0)

    // One message's job is lost, another's is held as completed though its row is pending; one reminder's job is lost.
    await queues.outbound.remove(messages[10])
    // A finished job is kept by BullMQ as its hash plus an entry in the completed set.
    await env.ctx.redis.lrem(queues.outbound.keys.wait, 0, messages[20])
    await env.ctx.redis.zadd(queues.outbound.keys.completed, Date.now(), messages[20])
    expect(await queues.outbound.getJobState(messages[20])).toBe('completed')
    await queues.reminders.remove(reminders[5].id)

    const pass = await reconcileQueues(env.ctx)
    expect(pass.outbound).toBe(2)
    expect(pass.reminders).toBe(1)
    expect(await queues.outbound.getJobState(messages[10])).toBe('waiting')
    expect(await queues.outbound.getJobState(messages[20])).toBe('waiting')
    expect(await queues.reminders.getJobState(reminders[5].id)).toBe('waiting')
    expect(await queues.outbound.getWaitingCount()).toBe(300)
    expect(await queues.reminders.getWaitingCount()).toBe(300)

    // Whole again: the next pass reads nothing.
    expect(await reconcileReminders(env.ctx, new Date())).toEqual({ queued: 0, requeued: 0, rowsRead: 0 })
    expect((await reconcileQueues(env.ctx)).outbound).toBe(0)
  })
})
